package dev.sextant.prediction.catalog;

import dev.sextant.prediction.runtime.ModelRunException;
import dev.sextant.registry.client.RegisteredModel;
import dev.sextant.registry.client.RegistryClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PreDestroy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;

/**
 * The model versions this service serves: for each served model, the versions its aliases point to in the
 * registry, loaded, checked and warmed up. Reconciled with the registry at startup and every
 * {@code reconcile-interval}; each reconciliation builds a new immutable {@link Snapshot} and swaps it in at
 * once, so a request sees either the old set or the new one. A version that fails to download, verify, load or
 * warm up never replaces the version its alias held; the failure is logged, counted and reported per model.
 */
@Component
public class ModelCatalog {

    private static final Logger log = LoggerFactory.getLogger(ModelCatalog.class);
    public static final String DEFAULT_ALIAS = "champion";

    /**
     * One served model: its aliases (alias to version), its loaded versions, and how its requests are shared while
     * a rollout runs (null: the champion answers every request that names no version).
     */
    public record Served(
            String name, Map<String, Integer> aliases, Map<Integer, LoadedModel> versions, Routing routing) {}

    /**
     * A version acquired for one request, and its traffic role: {@code champion} or {@code challenger}.
     *
     * @param rollout the rollout that assigned the request; null when none runs
     * @param revision the rollout's revision that assigned it (its weights then); null when none runs
     * @param unit what the rollout assigned the request by: the value of its key field, or the request id; null
     *     when no rollout runs
     * @param shadow the rollout's shadow version, acquired too when it scores this request; else null
     */
    public record Assigned(
            LoadedModel model, String role, Long rollout, Integer revision, String unit, LoadedModel shadow) {}

    record Snapshot(Map<String, Served> models, boolean reconciled) {}

    private final RegistryClient registry;
    private final VersionLoader loader;
    private final ServedModels served;
    private final MeterRegistry meters;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(Map.of(), false));
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    private final MultiGauge loadedVersions;
    private final RolloutRouting rollouts;

    ModelCatalog(RegistryClient registry, VersionLoader loader, ServedModels served, MeterRegistry meters) {
        this.registry = registry;
        this.loader = loader;
        this.served = served;
        this.meters = meters;
        this.rollouts = new RolloutRouting(registry, failures);
        this.loadedVersions = MultiGauge.builder("sextant.prediction.model.loaded")
                .description("1 for each model version loaded and served, with the aliases that point to it")
                .register(meters);
    }

    /** The served models, by name. */
    public Map<String, Served> models() {
        return snapshot.get().models();
    }

    /** Whether the catalog has reconciled with the registry at least once. */
    public boolean reconciled() {
        return snapshot.get().reconciled();
    }

    /** The last load failure per model (cleared when a later load of that model succeeds). */
    public Map<String, String> failures() {
        return Map.copyOf(failures);
    }

    /**
     * A reference to a loaded version for one request, to {@link LoadedModel#release} when done: the given
     * version, or the one that holds {@value #DEFAULT_ALIAS} when {@code version} is empty.
     */
    public LoadedModel acquire(String name, Optional<Integer> version) throws ModelNotFoundException {
        while (true) {
            Served served = served(name);
            Integer wanted = version.orElse(served.aliases().get(DEFAULT_ALIAS));
            LoadedModel model = loaded(served, wanted);
            if (model.acquire()) {
                return model;
            }
            // retired between reading the snapshot and acquiring it: the next snapshot no longer has it
        }
    }

    /**
     * The version that answers a request that names none, acquired for it (to {@link LoadedModel#release}): the
     * champion, or while a rollout runs the version its assignment gives the request's key.
     *
     * @param keyValue given the rollout's key field (null: none), the value of that field in the request, or the
     *     request id when the field is null or the request lacks it
     */
    public Assigned assign(String name, Function<String, String> keyValue) throws ModelNotFoundException {
        while (true) {
            Served served = served(name);
            Routing routing = served.routing();
            if (routing == null) {
                LoadedModel model = loaded(served, served.aliases().get(DEFAULT_ALIAS));
                if (model.acquire()) {
                    return new Assigned(model, DEFAULT_ALIAS, null, null, null, null);
                }
                continue;
            }
            String key = keyValue.apply(routing.key());
            int wanted = routing.version(key);
            LoadedModel model = loaded(served, wanted);
            if (model.acquire()) {
                return new Assigned(
                        model,
                        routing.role(wanted),
                        routing.rollout(),
                        routing.revision(),
                        key,
                        shadow(served, routing, key));
            }
        }
    }

    /** The shadow version acquired for the request with this key, or null when it does not score it. */
    private static LoadedModel shadow(Served served, Routing routing, String key) {
        Integer version = routing.shadowing(key);
        LoadedModel shadow = version == null ? null : served.versions().get(version);
        return shadow != null && shadow.acquire() ? shadow : null;
    }

    private Served served(String name) throws ModelNotFoundException {
        Served served = snapshot.get().models().get(name);
        if (served == null) {
            throw new ModelNotFoundException("model '" + name + "' is not served here; served models: "
                    + new TreeMap<>(snapshot.get().models()).keySet() + failure(name));
        }
        return served;
    }

    private LoadedModel loaded(Served served, Integer wanted) throws ModelNotFoundException {
        if (wanted == null) {
            throw new ModelNotFoundException("model '" + served.name() + "' has no version with the alias '"
                    + DEFAULT_ALIAS + "'; name a version: " + served.versions().keySet());
        }
        LoadedModel model = served.versions().get(wanted);
        if (model == null) {
            throw new ModelNotFoundException("model '" + served.name() + "' has no loaded version " + wanted
                    + "; loaded versions: " + served.versions().keySet() + failure(served.name()));
        }
        return model;
    }

    private String failure(String name) {
        String failure = failures.get(name);
        return failure == null ? "" : "; its latest load failed: " + failure;
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${sextant.prediction.reconcile-interval}")
    void scheduledReconcile() {
        reconcile();
    }

    /** Compares the served versions with the registry's aliases and loads, swaps and frees what changed. */
    public synchronized void reconcile() {
        List<RegisteredModel> wanted;
        try {
            wanted = wantedModels();
        } catch (RestClientException e) {
            log.warn("model registry unreachable, keeping the served versions: {}", e.toString());
            meters.counter("sextant.prediction.registry.failures").increment();
            return;
        }
        Snapshot current = snapshot.get();
        Map<String, Served> next = new HashMap<>();
        for (RegisteredModel model : wanted) {
            next.put(model.name(), reconcile(model, current.models().get(model.name())));
        }
        snapshot.set(new Snapshot(Map.copyOf(next), true));
        loadedVersions.register(
                next.values().stream()
                        .flatMap(served -> served.versions().keySet().stream()
                                .map(version -> MultiGauge.Row.of(
                                        Tags.of(
                                                "model", served.name(),
                                                "version", String.valueOf(version),
                                                "aliases", aliasesOf(served, version),
                                                "provider",
                                                        served.versions()
                                                                .get(version)
                                                                .runner()
                                                                .executionProvider()),
                                        1)))
                        .toList(),
                true);
        Set<LoadedModel> kept = next.values().stream()
                .flatMap(served -> served.versions().values().stream())
                .collect(Collectors.toSet());
        current.models().values().stream()
                .flatMap(served -> served.versions().values().stream())
                .filter(model -> !kept.contains(model))
                .forEach(model -> {
                    log.info("unloading {}: no alias points to it any more", model);
                    model.release();
                });
    }

    private static String aliasesOf(Served served, int version) {
        return served.aliases().entrySet().stream()
                .filter(alias -> alias.getValue() == version)
                .map(Map.Entry::getKey)
                .sorted()
                .collect(Collectors.joining(","));
    }

    private List<RegisteredModel> wantedModels() {
        if (served.names().isEmpty()) {
            return registry.models().stream()
                    .filter(model -> !model.aliases().isEmpty())
                    .toList();
        }
        return served.names().stream()
                .map(name -> {
                    Optional<RegisteredModel> model = registry.model(name);
                    if (model.isEmpty()) {
                        failures.put(name, "model '" + name + "' is not registered");
                    }
                    return model;
                })
                .flatMap(Optional::stream)
                .toList();
    }

    private Served reconcile(RegisteredModel model, Served current) {
        Map<Integer, LoadedModel> loaded = current == null ? Map.of() : current.versions();
        // each version is looked up or loaded once, however many aliases and arms name it
        Map<Integer, Optional<LoadedModel>> resolved = new HashMap<>();
        Function<Integer, Optional<LoadedModel>> ready = version -> resolved.computeIfAbsent(
                version, v -> Optional.ofNullable(loaded.get(v)).or(() -> load(model.name(), v)));
        Map<String, Integer> aliases = new HashMap<>();
        Map<Integer, LoadedModel> versions = new HashMap<>();
        for (Map.Entry<String, Integer> alias : model.aliases().entrySet()) {
            int version = alias.getValue();
            Optional<LoadedModel> loadedVersion = ready.apply(version);
            if (loadedVersion.isPresent()) {
                aliases.put(alias.getKey(), version);
                versions.put(version, loadedVersion.get());
            } else if (current != null && current.aliases().containsKey(alias.getKey())) {
                int previous = current.aliases().get(alias.getKey());
                aliases.put(alias.getKey(), previous);
                versions.put(previous, loaded.get(previous));
            }
        }
        Routing routing = rollouts.next(model.name(), current, ready, versions);
        return new Served(model.name(), Map.copyOf(aliases), Map.copyOf(versions), routing);
    }

    /** The version loaded by {@link VersionLoader}, or empty with its failure recorded for the model. */
    private Optional<LoadedModel> load(String name, int version) {
        if (loader.unservable(name, version)) {
            return Optional.empty(); // reported when it failed; registry versions never change
        }
        try {
            LoadedModel model = loader.load(name, version);
            failures.remove(name);
            return Optional.of(model);
        } catch (ModelRunException | RestClientException e) {
            String reason = name + " v" + version + " not loaded: " + e.getMessage();
            failures.put(name, reason);
            meters.counter("sextant.prediction.model.loads", "model", name, "outcome", "failed")
                    .increment();
            log.error("{}; its aliases keep their previous version", reason);
            return Optional.empty();
        }
    }

    @PreDestroy
    synchronized void close() {
        Snapshot last = snapshot.getAndSet(new Snapshot(Map.of(), false));
        last.models().values().forEach(served -> served.versions().values().forEach(LoadedModel::release));
    }
}
