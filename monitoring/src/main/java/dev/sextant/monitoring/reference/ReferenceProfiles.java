package dev.sextant.monitoring.reference;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sextant.registry.client.RegistryClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.client.RestClientException;

/**
 * Reference profiles from the model registry, fetched once per model version (versions never change) and kept for
 * the {@code reference-cache-size} most recently used versions (metrics {@code cache_*{cache="monitoring.references"}}).
 * While the registry cannot be reached a version has no profile yet and is asked for again at its next window.
 */
public class ReferenceProfiles {

    private static final Logger log = LoggerFactory.getLogger(ReferenceProfiles.class);

    private final RegistryClient registry;
    /** Versions never change, so an entry never goes stale; the bound is on memory (keys come from Kafka). */
    private final Cache<String, ReferenceProfile> profiles;

    /** @param cacheSize the versions whose profiles are kept */
    ReferenceProfiles(RegistryClient registry, int cacheSize, MeterRegistry meters) {
        this.registry = registry;
        this.profiles = Caffeine.newBuilder()
                .maximumSize(cacheSize)
                // evictions on the caller's thread: the bound holds when a read returns
                .executor(Runnable::run)
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(meters, profiles, "monitoring.references");
    }

    /** The version's profile; empty while the registry is unreachable. An unknown version has an empty profile. */
    public Optional<ReferenceProfile> of(String model, int version) {
        String key = model + "/" + version;
        ReferenceProfile known = profiles.getIfPresent(key);
        if (known != null) {
            return Optional.of(known);
        }
        try {
            ReferenceProfile profile = registry.version(model, version)
                    .map(ReferenceProfile::of)
                    .orElseGet(() -> new ReferenceProfile(List.of(), Map.of()));
            profiles.put(key, profile);
            return Optional.of(profile);
        } catch (RestClientException e) {
            log.warn("cannot read the reference of {} v{} from the registry: {}", model, version, e.getMessage());
            return Optional.empty();
        }
    }
}
