package dev.sextant.prediction.features;

import dev.sextant.features.client.definition.Entity;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.online.FeatureStatus;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import dev.sextant.features.client.online.OnlineFeatureReader;
import dev.sextant.features.client.online.OnlineFeatures;
import dev.sextant.features.client.online.OnlineStoreUnavailableException;
import dev.sextant.prediction.PredictionProperties;
import dev.sextant.prediction.catalog.LoadedModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns domain requests (entity keys and request values, one or many rows) into a model's input tensors: reads
 * the version's online features in-process through the feature-store client (one pipelined Redis round trip for
 * all rows), applies each bound default where a value is missing, null or stale, and writes the columns in the
 * bound order. While the online store cannot be read, the model's policy decides: every online feature takes
 * its default and the result is marked degraded, or {@link OnlineStoreUnavailableException} at once.
 */
@Component
public class FeatureAssembler {

    private static final Logger log = LoggerFactory.getLogger(FeatureAssembler.class);

    private final FeatureRepository repository;
    private final OnlineFeatureReader reader;
    private final PredictionProperties.Features settings;
    private final MeterRegistry meters;
    private final Set<String> joinKeyNames = new TreeSet<>();
    /** Per version: its features, or why it has none (a version never changes, so neither does its binding). */
    private final Map<VersionKey, Binding> bound = new ConcurrentHashMap<>();
    /** The feature read timer per model version, looked up once. */
    private final Map<VersionKey, Timer> readTimers = new ConcurrentHashMap<>();

    private record VersionKey(String name, int version) {}

    /** A version's binding as the domain API resolved it: its features, or why it cannot score the version. */
    private sealed interface Binding {

        /** @throws UnboundModelException when the domain API cannot score the version, saying why */
        BoundFeatures features();
    }

    private record Bound(BoundFeatures features) implements Binding {}

    private record Unbound(String reason) implements Binding {

        @Override
        public BoundFeatures features() {
            throw new UnboundModelException(reason);
        }
    }

    FeatureAssembler(
            FeatureRepository repository,
            OnlineFeatureReader reader,
            PredictionProperties.Features settings,
            MeterRegistry meters) {
        this.repository = repository;
        this.reader = reader;
        this.settings = settings;
        this.meters = meters;
        for (Entity entity : repository.entities()) {
            entity.joinKeys().forEach(key -> joinKeyNames.add(key.name()));
        }
    }

    /** One row of a domain request: join key values and request values (JSON values), either may be null. */
    public record Row(Map<String, Object> entities, Map<String, Object> request) {}

    /** The version's resolved binding, or {@link UnboundModelException} saying why the domain API cannot score it. */
    public BoundFeatures bind(LoadedModel model) {
        Binding binding = bound.computeIfAbsent(new VersionKey(model.name(), model.version()), key -> {
            try {
                return new Bound(BoundFeatures.of(model, repository));
            } catch (UnboundModelException e) {
                log.warn("the domain API cannot score {}: {}", model, e.getMessage());
                return new Unbound(e.getMessage());
            }
        });
        return binding.features();
    }

    /**
     * Assembles the input of a request's rows.
     *
     * @param where how the request names its rows in messages: {@code ""} for a single row, {@code "rows"} for a
     *     batch (then {@code rows[3].entities ...})
     * @throws InvalidFeatureRequestException for a mistake in the request, naming the field
     * @throws OnlineStoreUnavailableException when the online store cannot be read and the model's policy is to
     *     fail, or a feature the degraded answer needs has no default
     * @throws MissingFeatureException when a stored feature has no value for a row and no default
     */
    public Assembled assemble(LoadedModel model, List<Row> rows, String where) {
        BoundFeatures features = bind(model);
        if (rows.isEmpty()) {
            throw new InvalidFeatureRequestException(where + " must hold at least one row");
        }
        if (rows.size() > settings.maxRows()) {
            throw new InvalidFeatureRequestException(
                    "at most " + settings.maxRows() + " rows per request, got " + rows.size());
        }
        Map<String, List<Object>> entityKeys = RequestRows.entityKeys(features, rows, where, joinKeyNames);
        Map<String, List<Object>> requestValues = RequestRows.onDemandRequestValues(features, rows, where);
        List<BoundFeatures.Column> columns = features.columns();
        Object[][] values = new Object[rows.size()][columns.size()];
        List<List<String>> defaulted = new ArrayList<>(rows.size());
        for (int row = 0; row < rows.size(); row++) {
            defaulted.add(new ArrayList<>(0));
        }
        for (int c = 0; c < columns.size(); c++) {
            BoundFeatures.Column column = columns.get(c);
            if (column.fromRequest()) {
                for (int row = 0; row < rows.size(); row++) {
                    values[row][c] = RequestRows.requestColumn(
                            column, rows.get(row).request(), RequestRows.prefix(where, row), defaulted, row);
                }
            }
        }
        boolean degraded = false;
        long readNanos = 0;
        if (!features.onlineRefs().isEmpty()) {
            long start = System.nanoTime();
            OnlineFeatures online = null;
            try {
                online = reader.read(features.onlineRefs(), entityKeys, requestValues);
            } catch (OnlineStoreUnavailableException e) {
                if (settings.whenUnavailable(model.name()) == PredictionProperties.WhenUnavailable.FAIL) {
                    meters.counter("sextant.prediction.features.unavailable", "model", model.name(), "policy", "fail")
                            .increment();
                    throw e;
                }
                meters.counter("sextant.prediction.features.unavailable", "model", model.name(), "policy", "degrade")
                        .increment();
                degraded = true;
            } finally {
                readNanos = System.nanoTime() - start;
                readTimers
                        .computeIfAbsent(new VersionKey(model.name(), model.version()), key -> Timer.builder(
                                        "sextant.prediction.features.read")
                                .description(
                                        "Time reading a request's online features (one pipelined Redis round trip)")
                                .tags("model", key.name(), "version", String.valueOf(key.version()))
                                .publishPercentileHistogram()
                                .minimumExpectedValue(java.time.Duration.ofNanos(50_000))
                                .register(meters))
                        .record(readNanos, TimeUnit.NANOSECONDS);
            }
            for (int c = 0; c < columns.size(); c++) {
                BoundFeatures.Column column = columns.get(c);
                if (!column.fromRequest()) {
                    OnlineFeatures.Column read = online == null
                            ? null
                            // the answer holds the join key columns, then the requested features in order
                            : online.columns()
                                    .get(online.columns().size()
                                            - features.onlineRefs().size()
                                            + column.online());
                    for (int row = 0; row < rows.size(); row++) {
                        values[row][c] = onlineValue(features, column, read, row, entityKeys, defaulted);
                    }
                }
            }
        }
        for (int row = 0; row < rows.size(); row++) {
            for (String ref : defaulted.get(row)) {
                meters.counter("sextant.prediction.features.defaulted", "model", model.name(), "feature", ref)
                        .increment();
            }
        }
        return new Assembled(features, values, defaulted, degraded, entityKeys, readNanos);
    }

    private static Object onlineValue(
            BoundFeatures features,
            BoundFeatures.Column column,
            OnlineFeatures.Column read,
            int row,
            Map<String, List<Object>> entityKeys,
            List<List<String>> defaulted) {
        FeatureStatus status = read == null ? null : read.statuses().get(row);
        Object value = read == null ? null : read.values().get(row);
        if (status == FeatureStatus.PRESENT && value != null) {
            try {
                FeatureValues.check(value, column.datatype());
                return value;
            } catch (IllegalArgumentException e) {
                throw new MissingFeatureException(features.model() + ": " + column.ref() + " = " + value + " for "
                        + keys(entityKeys, row) + " cannot be an input: " + e.getMessage());
            }
        }
        if (column.defaultValue() == null) {
            if (read == null) {
                throw new OnlineStoreUnavailableException(
                        "the online store is unavailable and " + features.model() + "'s feature " + column.ref()
                                + " has no default to answer with",
                        null);
            }
            throw new MissingFeatureException(features.model() + ": " + column.ref() + " is " + status + " for "
                    + keys(entityKeys, row) + " and its binding has no default");
        }
        defaulted.get(row).add(column.ref());
        return column.defaultValue();
    }

    private static String keys(Map<String, List<Object>> entityKeys, int row) {
        StringBuilder text = new StringBuilder();
        entityKeys.forEach((key, values) ->
                text.append(text.isEmpty() ? "" : ", ").append(key).append('=').append(values.get(row)));
        return text.toString();
    }
}
