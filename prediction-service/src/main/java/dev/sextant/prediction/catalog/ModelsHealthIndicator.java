package dev.sextant.prediction.catalog;

import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code models} health component, part of the readiness group: out of service until the catalog has
 * reconciled with the registry once (each served version downloaded, verified, loaded and warmed up, or its
 * failure recorded), so a new replica takes no traffic before it can answer. Its details name each model's loaded
 * versions and aliases, and the latest load failure of a model.
 */
@Component("models")
class ModelsHealthIndicator implements HealthIndicator {

    private final ModelCatalog catalog;

    ModelsHealthIndicator(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Health health() {
        if (!catalog.reconciled()) {
            return Health.outOfService()
                    .withDetail(
                            "reason",
                            "the served models are not loaded yet: the model registry has not been read (is it"
                                    + " reachable?)")
                    .withDetail("failures", new TreeMap<>(catalog.failures()))
                    .build();
        }
        Map<String, Object> models = new TreeMap<>();
        catalog.models()
                .forEach((name, served) -> models.put(
                        name,
                        Map.of(
                                "aliases",
                                new TreeMap<>(served.aliases()),
                                "versions",
                                served.versions().keySet().stream().sorted().toList())));
        return Health.up()
                .withDetail("models", models)
                .withDetail("failures", new TreeMap<>(catalog.failures()))
                .build();
    }
}
