package dev.sextant.training.job;

import java.time.Instant;

/**
 * A job as stored.
 *
 * @param trigger what started it: {@code api}, {@code schedule} or {@code retrain_request}
 * @param step what it is doing now, in words
 * @param progress 0 to 1
 * @param attempt how often it has been started (a job interrupted by a restart is started again)
 * @param metrics the candidate's test metrics (JSON), once evaluated
 * @param report the evaluation report (JSON), once evaluated
 * @param registeredVersion the registry version it registered
 */
public record TrainingJob(
        String id,
        String model,
        JobState state,
        String trigger,
        String reason,
        String idempotencyKey,
        JobSpec spec,
        String step,
        double progress,
        int attempt,
        boolean cancelRequested,
        String owner,
        Instant heartbeatAt,
        Instant notBefore,
        Instant createdAt,
        String createdBy,
        Instant startedAt,
        Instant finishedAt,
        String error,
        String metrics,
        String report,
        Integer registeredVersion) {}
