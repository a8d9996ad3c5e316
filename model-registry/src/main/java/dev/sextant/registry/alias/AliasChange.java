package dev.sextant.registry.alias;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One entry of an alias's history: {@code from_version} is absent when the alias was created, {@code
 * to_version} when it was deleted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AliasChange(Integer fromVersion, Integer toVersion, Instant changedAt, String changedBy, String reason) {}
