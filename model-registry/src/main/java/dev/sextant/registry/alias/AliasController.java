package dev.sextant.registry.alias;

import dev.sextant.registry.api.ApiException;
import dev.sextant.registry.model.ArtifactResponses;
import dev.sextant.registry.model.ModelService;
import dev.sextant.registry.model.Names;
import dev.sextant.web.problems.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/models/{name}/aliases")
@Tag(name = "Aliases", description = "Named pointers to versions (champion, challenger, ...) with full history")
class AliasController {

    private final AliasService aliases;
    private final ModelService models;

    AliasController(AliasService aliases, ModelService models) {
        this.aliases = aliases;
        this.models = models;
    }

    /** Body of PUT: the version to point at, and optionally why. */
    record SetAlias(Integer version, String reason) {}

    record AliasHistory(String name, String alias, List<AliasChange> history) {}

    @PutMapping(path = "/{alias}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Set or move an alias to a version (atomic; recorded in the alias history)")
    AliasView set(
            @PathVariable String name,
            @PathVariable String alias,
            @RequestBody SetAlias body,
            @RequestHeader(name = Actor.HEADER, required = false) String actor) {
        String model = Names.model(name);
        String aliasName = Names.alias(alias);
        if (body == null || body.version() == null) {
            throw ApiException.badRequest("body must be {\"version\": N} with a positive version number");
        }
        if (body.version() < 1) {
            throw ApiException.badRequest("version must be a positive integer, got " + body.version());
        }
        if (body.reason() != null && body.reason().length() > 1000) {
            throw ApiException.badRequest("reason must be at most 1000 characters");
        }
        return aliases.set(model, aliasName, body.version(), Actor.of(actor), body.reason());
    }

    @GetMapping("/{alias}")
    @Operation(summary = "Get the version an alias points to")
    AliasView get(@PathVariable String name, @PathVariable String alias) {
        return aliases.get(Names.model(name), Names.alias(alias));
    }

    @DeleteMapping("/{alias}")
    @Operation(summary = "Delete an alias (recorded in the alias history)")
    ResponseEntity<Void> delete(
            @PathVariable String name,
            @PathVariable String alias,
            @RequestParam(required = false) String reason,
            @RequestHeader(name = Actor.HEADER, required = false) String actor) {
        aliases.delete(Names.model(name), Names.alias(alias), Actor.of(actor), reason);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{alias}/history")
    @Operation(summary = "Every change of an alias, newest first: who, when, from which version to which")
    AliasHistory history(
            @PathVariable String name,
            @PathVariable String alias,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(defaultValue = "0") int offset) {
        if (limit < 1 || limit > 500 || offset < 0) {
            throw ApiException.badRequest("limit must be between 1 and 500 and offset not negative");
        }
        String model = Names.model(name);
        String aliasName = Names.alias(alias);
        return new AliasHistory(model, aliasName, aliases.history(model, aliasName, limit, offset));
    }

    @GetMapping(path = "/{alias}/artifact", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(summary = "Download the ONNX artifact of the version an alias points to")
    ResponseEntity<Resource> artifact(@PathVariable String name, @PathVariable String alias) {
        AliasView current = aliases.get(Names.model(name), Names.alias(alias));
        return ArtifactResponses.of(models, current.modelVersion());
    }
}
