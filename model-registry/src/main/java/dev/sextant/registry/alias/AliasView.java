package dev.sextant.registry.alias;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sextant.registry.model.ModelVersionView;
import java.time.Instant;

/** Where an alias points, with the version it points to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AliasView(
        String name,
        String alias,
        int version,
        Integer previousVersion,
        Instant updatedAt,
        String updatedBy,
        ModelVersionView modelVersion) {}
