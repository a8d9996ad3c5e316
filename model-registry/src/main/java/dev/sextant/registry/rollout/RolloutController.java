package dev.sextant.registry.rollout;

import dev.sextant.registry.api.ApiException;
import dev.sextant.registry.model.Names;
import dev.sextant.web.problems.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
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

@RestController
@RequestMapping("/api/v1/models/{name}/rollouts")
@Tag(
        name = "Rollouts",
        description = "Progressive delivery of a model's versions: shadow, canary, A/B test, bandit, blue-green;"
                + " sticky assignment by entity key, every change with its reason and evidence")
class RolloutController {

    private final RolloutService rollouts;

    RolloutController(RolloutService rollouts) {
        this.rollouts = rollouts;
    }

    record RolloutPage(String name, List<Rollout> rollouts, int limit, int offset) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Start a rollout of challengers against the champion (admin)",
            description = "At most one rollout of a model runs at a time (409 otherwise). Challengers and the shadow"
                    + " must be versions of the model with the champion's signature and request fields (422)."
                    + " Announced as ROLLOUT_STARTED on model-events.v1.")
    ResponseEntity<Rollout> start(
            @PathVariable String name,
            @RequestBody RolloutSpec body,
            @RequestHeader(name = Actor.HEADER, required = false) String actor) {
        String model = Names.model(name);
        if (body == null) {
            throw ApiException.badRequest("body must be a rollout: {\"strategy\": ..., \"challengers\": [...], ...}");
        }
        reason(body.reason());
        Rollout started = rollouts.start(model, body, Actor.of(actor));
        return ResponseEntity.created(URI.create("/api/v1/models/" + model + "/rollouts/" + started.id()))
                .body(started);
    }

    @GetMapping
    @Operation(summary = "The model's rollouts, newest first, without their history")
    RolloutPage list(
            @PathVariable String name,
            @RequestParam(defaultValue = "20") int limit,
            @RequestParam(defaultValue = "0") int offset) {
        if (limit < 1 || limit > 100 || offset < 0) {
            throw ApiException.badRequest("limit must be between 1 and 100 and offset not negative");
        }
        String model = Names.model(name);
        return new RolloutPage(model, rollouts.list(model, limit, offset), limit, offset);
    }

    @GetMapping("/active")
    @Operation(summary = "The model's running or paused rollout, with its history (404 when none)")
    Rollout active(@PathVariable String name) {
        return rollouts.active(Names.model(name));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One rollout with its history: every change, who made it, why, and its evidence")
    Rollout get(@PathVariable String name, @PathVariable String id) {
        return rollouts.get(Names.model(name), rolloutId(id));
    }

    @PostMapping(path = "/{id}/actions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Pause, resume, advance, reweigh, promote, roll back or abort a rollout (admin)",
            description = "The body names the revision the action was decided on; an action on a rollout that has"
                    + " changed since is refused with 409. Promotion moves the champion alias in the same"
                    + " transaction. Announced as ROLLOUT_CHANGED or ROLLOUT_ENDED on model-events.v1.")
    Rollout act(
            @PathVariable String name,
            @PathVariable String id,
            @RequestBody RolloutActions.Action action,
            @RequestHeader(name = Actor.HEADER, required = false) String actor) {
        String model = Names.model(name);
        return rollouts.act(model, rolloutId(id), action, Actor.of(actor));
    }

    private static long rolloutId(String id) {
        if (id == null || !id.matches("[1-9][0-9]{0,17}")) {
            throw ApiException.badRequest("invalid rollout id '" + id + "': use a positive integer");
        }
        return Long.parseLong(id);
    }

    private static void reason(String reason) {
        if (reason != null && reason.length() > 1000) {
            throw ApiException.badRequest("reason must be at most 1000 characters");
        }
    }
}
