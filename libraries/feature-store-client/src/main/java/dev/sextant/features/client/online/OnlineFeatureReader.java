package dev.sextant.features.client.online;

import dev.sextant.features.client.definition.Feature;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.OnDemandView;
import dev.sextant.features.client.definition.ValueType;
import dev.sextant.features.client.ondemand.OnDemandComputation;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.KeyValueListOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads online features: one {@code HMGET} per (view, entity row), all written and flushed together before any
 * answer is awaited (one pipeline on the shared connection), decoded with {@link RedisLayout}, TTL enforced against the clock; then
 * the requested on-demand views computed per row from those values and the request values. Thread-safe.
 */
public final class OnlineFeatureReader {

    private final FeatureRepository repository;
    private final OnlineStoreConnection store;
    private final Duration timeout;
    private final int maxEntityRows;
    private final Clock clock;
    /** The join key value {@link #warmUp()} reads: no entity has it. */
    private static final String WARM_UP_KEY = "sextant-warm-up";

    private final Map<List<String>, FeaturePlan> plans = new ConcurrentHashMap<>();

    public OnlineFeatureReader(
            FeatureRepository repository,
            OnlineStoreConnection store,
            Duration timeout,
            int maxEntityRows,
            Clock clock) {
        this.repository = repository;
        this.store = store;
        this.timeout = timeout;
        this.maxEntityRows = maxEntityRows;
        this.clock = clock;
    }

    /**
     * @param features {@code view:feature} references, answered in this order after the join key columns
     * @param entities join key name to values (String for STRING keys, integer for INT64 keys), one per row
     */
    public OnlineFeatures read(List<String> features, Map<String, List<Object>> entities) {
        return read(features, entities, null);
    }

    /**
     * @param features {@code view:feature} references of feature views and on-demand views, answered in this order
     *     after the join key columns
     * @param entities join key name to values (String for STRING keys, integer for INT64 keys), one per row
     * @param request the request values of the requested on-demand views, name to one value per row; null or empty
     *     when none is requested
     */
    public OnlineFeatures read(
            List<String> features, Map<String, List<Object>> entities, Map<String, List<Object>> request) {
        ReadPlan plan = ReadPlan.of(plan(features), entities, maxEntityRows);
        Object[][] requestColumns = requestColumns(plan, request);
        List<List<RedisFuture<List<KeyValue<String, String>>>>> pending = send(plan);
        Instant now = clock.instant();
        List<String> names = new ArrayList<>(plan.joinKeyNames());
        names.addAll(plan.features().featureNames());
        List<OnlineFeatures.Column> columns = new ArrayList<>();
        for (List<Object> keyColumn : plan.joinKeyColumns()) {
            columns.add(new OnlineFeatures.Column(
                    keyColumn,
                    Collections.nCopies(plan.rows(), FeatureStatus.PRESENT),
                    Collections.nCopies(plan.rows(), null)));
        }
        ColumnBuilder[] stored = new ColumnBuilder[plan.features().storedColumns()];
        Arrays.setAll(stored, i -> new ColumnBuilder(plan.rows()));
        for (int v = 0; v < plan.features().views().size(); v++) {
            FeaturePlan.ViewRead read = plan.features().views().get(v);
            for (int row = 0; row < plan.rows(); row++) {
                decodeRow(read, result(pending.get(v).get(row)), now, stored, row);
            }
        }
        List<ColumnBuilder> computed = computeOnDemand(plan, stored, requestColumns);
        for (int source : plan.features().answer()) {
            columns.add(
                    source >= 0
                            ? stored[source].build()
                            : computed.get(-source - 1).build());
        }
        return new OnlineFeatures(names, columns);
    }

    /**
     * Reads an absent row of every feature view, so that the connection to the online store is made and the read
     * path has run once before the first request: on a cold JVM the two take most of a second, which the first
     * caller would otherwise wait. Throws {@link OnlineStoreUnavailableException} when the store is unreachable.
     */
    public void warmUp() {
        for (FeatureView view : repository.views()) {
            Map<String, List<Object>> entities = new LinkedHashMap<>();
            for (JoinKey key : view.joinKeys()) {
                entities.put(key.name(), List.of(key.type() == ValueType.INT64 ? (Object) 0L : WARM_UP_KEY));
            }
            read(List.of(view.name() + ":" + view.features().get(0).name()), entities);
        }
    }

    /** The typed request values, one column per field of {@link FeaturePlan#requestFields()}. */
    private static Object[][] requestColumns(ReadPlan plan, Map<String, List<Object>> request) {
        List<OnDemandView.RequestField> fields = plan.features().requestFields();
        Map<String, List<Object>> given = request == null ? Map.of() : request;
        for (String name : given.keySet()) {
            if (fields.stream().noneMatch(field -> field.name().equals(name))) {
                throw new InvalidFeatureRequestException("request_context." + name
                        + " is not a request value of the requested on-demand views; they take "
                        + fields.stream().map(OnDemandView.RequestField::name).toList());
            }
        }
        Object[][] columns = new Object[fields.size()][];
        for (int f = 0; f < fields.size(); f++) {
            OnDemandView.RequestField field = fields.get(f);
            List<Object> values = given.get(field.name());
            if (values == null || values.size() != plan.rows()) {
                throw new InvalidFeatureRequestException("request_context." + field.name() + " must hold one "
                        + field.type() + " per entity row (" + plan.rows() + ")"
                        + (values == null ? "; it is missing" : ", got " + values.size()));
            }
            columns[f] = new Object[plan.rows()];
            for (int row = 0; row < plan.rows(); row++) {
                columns[f][row] =
                        OnDemandComputation.requestValue(field, values.get(row), "request_context row " + row);
            }
        }
        return columns;
    }

    private static List<ColumnBuilder> computeOnDemand(ReadPlan plan, ColumnBuilder[] stored, Object[][] request) {
        List<OnDemandView.RequestField> fields = plan.features().requestFields();
        List<ColumnBuilder> computed = new ArrayList<>();
        for (FeaturePlan.OnDemandRead read : plan.features().onDemand()) {
            OnDemandView view = read.view();
            int[] requestIndexes =
                    view.request().stream().mapToInt(fields::indexOf).toArray();
            List<ColumnBuilder> outputs = new ArrayList<>();
            read.outputs().forEach(output -> outputs.add(new ColumnBuilder(plan.rows())));
            Object[] inputs = new Object[read.inputColumns().length];
            Object[] requestValues = new Object[requestIndexes.length];
            for (int row = 0; row < plan.rows(); row++) {
                for (int k = 0; k < inputs.length; k++) {
                    ColumnBuilder input = stored[read.inputColumns()[k]];
                    inputs[k] = input.statuses[row] == FeatureStatus.PRESENT ? input.values[row] : null;
                }
                for (int k = 0; k < requestIndexes.length; k++) {
                    requestValues[k] = request[requestIndexes[k]][row];
                }
                Map<String, Object> values = OnDemandComputation.compute(view, inputs, requestValues);
                for (int o = 0; o < outputs.size(); o++) {
                    Object value = values.get(read.outputs().get(o).name());
                    outputs.get(o)
                            .set(row, value, value == null ? FeatureStatus.NULL_VALUE : FeatureStatus.PRESENT, null);
                }
            }
            computed.addAll(outputs);
        }
        return computed;
    }

    /** The validated feature part of a read, cached per feature list (bounded: cleared past 1,000 lists). */
    private FeaturePlan plan(List<String> features) {
        if (features == null) {
            throw new InvalidFeatureRequestException("features must list at least one 'view:feature'");
        }
        FeaturePlan plan = plans.get(features);
        if (plan == null) {
            plan = FeaturePlan.of(repository, features);
            if (plans.size() >= 1000) {
                plans.clear();
            }
            plans.put(List.copyOf(features), plan);
        }
        return plan;
    }

    private List<List<RedisFuture<List<KeyValue<String, String>>>>> send(ReadPlan plan) {
        List<Command<String, String, List<KeyValue<String, String>>>> commands = new ArrayList<>();
        for (FeaturePlan.ViewRead read : plan.features().views()) {
            List<String> fields = Arrays.asList(read.fields());
            for (int row = 0; row < plan.rows(); row++) {
                commands.add(new Command<>(
                        CommandType.HMGET,
                        new KeyValueListOutput<>(StringCodec.UTF8, fields),
                        new CommandArgs<>(StringCodec.UTF8)
                                .addKey(RedisLayout.key(read.view(), plan.keyValues(read.view(), row)))
                                .addKeys(fields)));
            }
        }
        List<List<RedisFuture<List<KeyValue<String, String>>>>> pending = new ArrayList<>();
        try {
            List<AsyncCommand<String, String, List<KeyValue<String, String>>>> all = store.pipeline(commands);
            for (int v = 0; v < plan.features().views().size(); v++) {
                pending.add(new ArrayList<>(all.subList(v * plan.rows(), (v + 1) * plan.rows())));
            }
            if (!LettuceFutures.awaitAll(timeout.toMillis(), TimeUnit.MILLISECONDS, all.toArray(RedisFuture[]::new))) {
                throw new OnlineStoreUnavailableException("the online store did not answer within " + timeout, null);
            }
        } catch (RedisException e) {
            throw new OnlineStoreUnavailableException("the online store is unavailable: " + e.getMessage(), e);
        }
        return pending;
    }

    private static List<KeyValue<String, String>> result(RedisFuture<List<KeyValue<String, String>>> future) {
        try {
            return future.get(0, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new OnlineStoreUnavailableException("the online store failed a read: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OnlineStoreUnavailableException("interrupted while reading the online store", e);
        }
    }

    private static void decodeRow(
            FeaturePlan.ViewRead read,
            List<KeyValue<String, String>> values,
            Instant now,
            ColumnBuilder[] columns,
            int row) {
        KeyValue<String, String> timestamp = values.get(0);
        Instant eventTime = timestamp.hasValue() ? Instant.ofEpochMilli(Long.parseLong(timestamp.getValue())) : null;
        boolean stale = eventTime != null
                && read.view().hasTtl()
                && eventTime.plus(read.view().ttl()).isBefore(now);
        for (int i = 0; i < read.features().size(); i++) {
            Feature feature = read.features().get(i);
            ColumnBuilder column = columns[read.columnIndexes()[i]];
            KeyValue<String, String> stored = values.get(i + 1);
            if (eventTime == null || !stored.hasValue()) {
                column.set(row, null, FeatureStatus.NOT_FOUND, null);
            } else if (stale) {
                column.set(row, null, FeatureStatus.OUTSIDE_MAX_AGE, eventTime);
            } else {
                Object value = RedisLayout.decode(feature.type(), stored.getValue());
                column.set(row, value, value == null ? FeatureStatus.NULL_VALUE : FeatureStatus.PRESENT, eventTime);
            }
        }
    }

    /** One answer column filled row by row. */
    private static final class ColumnBuilder {

        private final Object[] values;
        private final FeatureStatus[] statuses;
        private final Instant[] timestamps;

        ColumnBuilder(int rows) {
            values = new Object[rows];
            statuses = new FeatureStatus[rows];
            timestamps = new Instant[rows];
        }

        void set(int row, Object value, FeatureStatus status, Instant timestamp) {
            values[row] = value;
            statuses[row] = status;
            timestamps[row] = timestamp;
        }

        OnlineFeatures.Column build() {
            return new OnlineFeatures.Column(
                    Collections.unmodifiableList(Arrays.asList(values)),
                    List.of(statuses),
                    Collections.unmodifiableList(Arrays.asList(timestamps)));
        }
    }
}
