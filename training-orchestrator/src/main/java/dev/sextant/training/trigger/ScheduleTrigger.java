package dev.sextant.training.trigger;

import dev.sextant.training.TrainingProperties;
import dev.sextant.training.job.JobConflictException;
import dev.sextant.training.job.JobRequest;
import dev.sextant.training.job.JobService;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.support.CronTrigger;

/**
 * Cron schedules ({@code sextant.training.schedules}): each firing creates a job with the idempotency key
 * {@code schedule:<model>:<fire time>}, so several orchestrator instances firing the same schedule start one job.
 */
class ScheduleTrigger {

    private static final Logger log = LoggerFactory.getLogger(ScheduleTrigger.class);

    private final List<TrainingProperties.Schedule> schedules;
    private final JobService jobs;
    private final TaskScheduler scheduler;
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();

    ScheduleTrigger(List<TrainingProperties.Schedule> schedules, JobService jobs, TaskScheduler scheduler) {
        this.schedules = List.copyOf(schedules);
        this.jobs = jobs;
        this.scheduler = scheduler;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        for (TrainingProperties.Schedule schedule : schedules) {
            CronTrigger trigger = new CronTrigger(schedule.cron(), ZoneOffset.UTC);
            // The trigger computes each firing's time before it runs; the firing names itself by it.
            AtomicReference<Instant> fireTime = new AtomicReference<>();
            scheduled.add(scheduler.schedule(() -> fire(schedule, fireTime.get()), context -> {
                Instant next = trigger.nextExecution(context);
                fireTime.set(next);
                return next;
            }));
            log.info("training of {} scheduled by cron '{}' (UTC)", schedule.model(), schedule.cron());
        }
    }

    void fire(TrainingProperties.Schedule schedule, Instant fireTime) {
        String key = "schedule:" + schedule.model() + ":" + fireTime;
        try {
            jobs.create(
                    JobRequest.of(schedule.model(), "scheduled by cron '" + schedule.cron() + "'"),
                    JobService.SCHEDULE,
                    key,
                    "scheduler",
                    Duration.ZERO);
        } catch (JobConflictException e) {
            log.info("scheduled training of {} skipped: {}", schedule.model(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("scheduled training of {} could not start", schedule.model(), e);
        }
    }

    @PreDestroy
    void stop() {
        scheduled.forEach(future -> future.cancel(false));
    }
}
