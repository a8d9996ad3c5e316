package dev.sextant.training.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.training.job.JobService;
import dev.sextant.training.job.JobState;
import dev.sextant.training.job.TrainingJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A cron schedule starts jobs named by their fire time, and a firing while the model's job is still active starts
 * nothing. The registry and the feature store are absent here: the job only has to be created (it then waits to
 * retry its unreachable dependencies).
 */
@SpringBootTest(
        properties = {
            "spring.datasource.url=jdbc:h2:mem:schedule;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
            "spring.kafka.bootstrap-servers=127.0.0.1:1",
            "spring.kafka.listener.auto-startup=false",
            "sextant.training.labels.enabled=false",
            "sextant.training.retrain.enabled=false",
            "sextant.training.registry-url=http://127.0.0.1:1",
            "sextant.training.feature-store-url=http://127.0.0.1:1",
            "sextant.training.schedules[0].model=fraud-detector",
            "sextant.training.schedules[0].cron=*/2 * * * * *"
        })
class ScheduleTriggerIT {

    @Autowired
    JobService jobs;

    @Test
    void firesOnItsCronAndStartsNoSecondJobWhileTheFirstIsActive() {
        TrainingJob job = await().atMost(Duration.ofSeconds(10))
                .until(() -> jobs.list("fraud-detector", null, 10, 0), list -> !list.isEmpty())
                .get(0);
        assertThat(job.trigger()).isEqualTo("schedule");
        assertThat(job.idempotencyKey()).startsWith("schedule:fraud-detector:");
        Instant fireTime = Instant.parse(job.idempotencyKey().substring("schedule:fraud-detector:".length()));
        assertThat(fireTime.getEpochSecond() % 2).isZero();
        assertThat(job.spec().features()).hasSize(12); // the model's recipe

        // Later firings find the job active (it waits to retry the unreachable registry) and start nothing.
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        List<TrainingJob> all = jobs.list("fraud-detector", null, 10, 0);
        assertThat(all).hasSize(1);
        assertThat(all.get(0).state()).isIn(JobState.PENDING, JobState.BUILDING_DATASET);
    }
}
