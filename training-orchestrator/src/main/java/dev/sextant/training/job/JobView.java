package dev.sextant.training.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** A job as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JobView(
        String id,
        String model,
        JobState state,
        String step,
        double progress,
        int attempt,
        boolean cancelRequested,
        String trigger,
        String reason,
        String idempotencyKey,
        JobSpec spec,
        Map<String, Object> metrics,
        Integer registeredVersion,
        String error,
        Instant createdAt,
        String createdBy,
        Instant notBefore,
        Instant startedAt,
        Instant finishedAt,
        String report) {

    @SuppressWarnings("unchecked")
    static JobView of(TrainingJob job, JsonMapper json) {
        return new JobView(
                job.id(),
                job.model(),
                job.state(),
                job.step(),
                job.progress(),
                job.attempt(),
                job.cancelRequested(),
                job.trigger(),
                job.reason(),
                job.idempotencyKey(),
                job.spec(),
                job.metrics() == null ? null : json.readValue(job.metrics(), Map.class),
                job.registeredVersion(),
                job.error(),
                job.createdAt(),
                job.createdBy(),
                job.notBefore(),
                job.startedAt(),
                job.finishedAt(),
                job.report() == null ? null : "/api/v1/training/jobs/" + job.id() + "/report");
    }
}
