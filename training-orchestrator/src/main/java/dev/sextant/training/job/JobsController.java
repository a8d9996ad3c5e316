package dev.sextant.training.job;

import dev.sextant.training.labels.LabelArchive;
import dev.sextant.web.problems.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/training")
@Tag(name = "Training jobs", description = "Dataset → training → ONNX export → evaluation → gate → registration")
class JobsController {

    private final JobService jobs;
    private final LabelArchive labels;
    private final JsonMapper json;

    JobsController(JobService jobs, LabelArchive labels, JsonMapper json) {
        this.jobs = jobs;
        this.labels = labels;
        this.json = json;
    }

    record JobPage(List<JobView> jobs, int limit, int offset) {}

    record LogPage(String id, List<JobRepository.LogLine> lines) {}

    @PostMapping(path = "/jobs", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Start a training job (201); with an Idempotency-Key seen before, the job it started (200);"
                    + " 409 while the model has an active job")
    ResponseEntity<JobView> create(
            @RequestBody JobRequest request,
            @Parameter(description = "a key a retried request sends again; it then starts no second job")
                    @RequestHeader(name = "Idempotency-Key", required = false)
                    String idempotencyKey,
            @RequestHeader(name = Actor.HEADER, required = false) String actor) {
        JobService.Created created =
                jobs.create(request, JobService.API, idempotencyKey, Actor.of(actor), Duration.ZERO);
        JobView view = JobView.of(created.job(), json);
        return created.created()
                ? ResponseEntity.created(URI.create("/api/v1/training/jobs/" + view.id()))
                        .body(view)
                : ResponseEntity.ok(view);
    }

    @GetMapping("/jobs")
    @Operation(summary = "List jobs, newest first, optionally of one model or in one state")
    JobPage list(
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String state,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(defaultValue = "0") int offset) {
        if (limit < 1 || limit > 500) {
            throw new InvalidJobException("limit must be between 1 and 500, got " + limit);
        }
        if (offset < 0) {
            throw new InvalidJobException("offset must not be negative, got " + offset);
        }
        JobState wanted = null;
        if (state != null) {
            try {
                wanted = JobState.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidJobException("state '" + state + "' is unknown; known: " + List.of(JobState.values()));
            }
        }
        List<JobView> views = jobs.list(model, wanted, limit, offset).stream()
                .map(job -> JobView.of(job, json))
                .toList();
        return new JobPage(views, limit, offset);
    }

    @GetMapping("/jobs/{id}")
    @Operation(summary = "A job: state, step, progress, metrics and the registered version")
    JobView get(@PathVariable String id) {
        return JobView.of(job(id), json);
    }

    @PostMapping("/jobs/{id}/cancel")
    @Operation(summary = "Cancel a job: a pending one at once, a running one at its next step")
    JobView cancel(@PathVariable String id, @RequestHeader(name = Actor.HEADER, required = false) String actor) {
        return JobView.of(jobs.cancel(id, Actor.of(actor)), json);
    }

    @GetMapping("/jobs/{id}/report")
    @Operation(
            summary = "The evaluation report: dataset and split, candidate and champion metrics on the same test"
                    + " rows, per-segment metrics, and the gate's decision with its reasons")
    JsonNode report(@PathVariable String id) {
        TrainingJob job = job(id);
        if (job.report() == null) {
            throw new org.springframework.web.server.ResponseStatusException(
                    HttpStatus.NOT_FOUND, "job " + id + " has no evaluation report (state " + job.state() + ")");
        }
        return json.readTree(job.report());
    }

    @GetMapping("/jobs/{id}/logs")
    @Operation(summary = "A job's log lines after a line id (for following a running job)")
    LogPage logs(
            @PathVariable String id,
            @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "500") int limit) {
        job(id);
        if (limit < 1 || limit > 5000) {
            throw new InvalidJobException("limit must be between 1 and 5000, got " + limit);
        }
        return new LogPage(id, jobs.logs(id, after, limit));
    }

    @GetMapping("/labels")
    @Operation(summary = "What the labels.v1 archive holds: files, labelled events, positives, event time range")
    LabelArchive.Summary labels() {
        return labels.summary();
    }

    private TrainingJob job(String id) {
        if (!id.matches("[0-9a-f-]{36}")) {
            throw new InvalidJobException("job id must be a UUID, got '" + id + "'");
        }
        return jobs.find(id).orElseThrow(() -> new JobNotFoundException(id));
    }
}
