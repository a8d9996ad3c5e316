package dev.sextant.training.dataset;

import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.definition.OnDemandView;
import dev.sextant.features.client.definition.ValueType;
import dev.sextant.features.client.online.FeatureSelection;
import dev.sextant.features.client.online.InvalidFeatureRequestException;
import dev.sextant.training.labels.LabelArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Builds a job's dataset: each event's latest label from the archive, in the job's time range → entity rows (join
 * keys, event time, the event's own values) → the feature store's point-in-time retrieval → one row per label with
 * every feature as of its event time. Labels come from the archive and features from the feature store; the
 * training set keeps the entity rows' order, so the two are joined by position and checked.
 */
@Component
public class DatasetBuilder {

    private static final String REQUEST = "request:";

    private final LabelArchive labels;
    private final FeatureStoreClient featureStore;
    private final FeatureRepository repository;

    DatasetBuilder(LabelArchive labels, FeatureStoreClient featureStore, FeatureRepository repository) {
        this.labels = labels;
        this.featureStore = featureStore;
        this.repository = repository;
    }

    /** A dataset that cannot be built from what was asked: too few labels, one class only. */
    public static final class DatasetException extends RuntimeException {
        public DatasetException(String message) {
            super(message);
        }
    }

    /**
     * @param refs every feature any model of the job reads (the candidate's, the champion's) and the segment
     * @param segmentBy the reference whose values segment the evaluation, or null
     * @param minRows fewest labelled events the range may hold
     * @param maxRows most labelled events the range may hold: the dataset is read into memory
     * @param work the job's work directory
     * @param log progress lines for the job's log
     */
    public Dataset build(
            List<String> refs,
            String segmentBy,
            Instant from,
            Instant to,
            int minRows,
            int maxRows,
            Path work,
            Consumer<String> log) {
        if (labels.isEmpty()) {
            throw new DatasetException("no labels have been archived from labels.v1 yet");
        }
        List<String> all = new ArrayList<>(refs);
        if (segmentBy != null && !all.contains(segmentBy)) {
            all.add(segmentBy);
        }
        List<String> stored =
                all.stream().filter(ref -> !ref.startsWith(REQUEST)).toList();
        FeatureSelection selection = stored.isEmpty() ? null : FeatureSelection.of(repository, stored);
        Map<String, JoinKey> joinKeys = new LinkedHashMap<>();
        Map<String, ValueType> requestColumns = new LinkedHashMap<>();
        if (selection != null) {
            for (FeatureView view : selection.storedByView(repository).keySet()) {
                view.joinKeys().forEach(key -> joinKeys.putIfAbsent(key.name(), key));
            }
            for (OnDemandView.RequestField field : selection.requestFields()) {
                requestColumns.put(field.name(), field.type());
            }
        }
        for (String ref : all) {
            if (ref.startsWith(REQUEST)) {
                requestColumns.putIfAbsent(
                        ref.substring(REQUEST.length()), ref.equals(segmentBy) ? ValueType.STRING : ValueType.FLOAT64);
            }
        }
        try {
            Files.createDirectories(work);
            Path entities = work.resolve("entities.parquet");
            Path trainingSet = work.resolve("training-set.parquet");
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
                long rows = writeEntities(duck, joinKeys, requestColumns, from, to, entities);
                log.accept(rows + " labelled events between " + from + " and " + to);
                if (rows < minRows) {
                    throw new DatasetException("only " + rows + " labelled events between " + from + " and " + to
                            + "; at least " + minRows + " are needed");
                }
                if (rows > maxRows) {
                    throw new DatasetException(rows + " labelled events between " + from + " and " + to
                            + "; at most " + maxRows + " fit one job (sextant.training.defaults.max-rows): narrow"
                            + " data_from and data_to");
                }
                if (!stored.isEmpty()) {
                    long retrieved = featureStore.historical(stored, entities, trainingSet);
                    if (retrieved != rows) {
                        throw new IllegalStateException(
                                "the feature store answered " + retrieved + " rows for " + rows + " entity rows");
                    }
                    log.accept("point-in-time features for " + stored.size() + " references from the feature store");
                }
                Path features = stored.isEmpty() ? null : trainingSet;
                return read(
                        duck,
                        refs,
                        segmentBy,
                        entities,
                        features,
                        (int) rows,
                        fingerprint(entities, features),
                        from,
                        to);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("building the dataset failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dataset under " + work, e);
        }
    }

    /**
     * The references of these that a dataset can hold as numbers: request values, and numeric or boolean features
     * the feature repository defines. A champion may bind something this repository no longer serves; its column
     * then gets its default.
     */
    public List<String> resolvable(List<String> refs) {
        List<String> usable = new ArrayList<>();
        for (String ref : refs) {
            if (ref.startsWith(REQUEST)) {
                usable.add(ref);
                continue;
            }
            try {
                FeatureSelection selection = FeatureSelection.of(repository, List.of(ref));
                if (selection.requested().get(0).feature().type() != ValueType.STRING) {
                    usable.add(ref);
                }
            } catch (InvalidFeatureRequestException e) {
                // Not served by this repository: the champion's column gets its default.
                continue;
            }
        }
        return usable;
    }

    private long writeEntities(
            Connection duck,
            Map<String, JoinKey> joinKeys,
            Map<String, ValueType> requestColumns,
            Instant from,
            Instant to,
            Path file)
            throws SQLException {
        List<String> select = new ArrayList<>();
        joinKeys.values()
                .forEach(key -> select.add("TRY_CAST(json_extract_string(entities, " + path(key.name()) + ") AS "
                        + sqlType(key.type()) + ") AS " + quote(key.name())));
        select.add("event_time AS event_timestamp");
        requestColumns.forEach((name, type) -> select.add("TRY_CAST(json_extract_string(request, " + path(name)
                + ") AS " + sqlType(type) + ") AS " + quote(name)));
        select.add("label");
        select.add("event_id");
        try (Statement statement = duck.createStatement()) {
            statement.execute("COPY (SELECT " + String.join(", ", select) + " FROM (" + labels.latestLabels(from, to)
                    + ") ORDER BY event_time, event_id) TO '" + file + "' (FORMAT parquet)");
            try (ResultSet count = statement.executeQuery("SELECT count(*) FROM read_parquet('" + file + "')")) {
                count.next();
                return count.getLong(1);
            }
        }
    }

    private static Dataset read(
            Connection duck,
            List<String> refs,
            String segmentBy,
            Path entities,
            Path trainingSet,
            int rows,
            String fingerprint,
            Instant from,
            Instant to)
            throws SQLException {
        List<String> select = new ArrayList<>(List.of("epoch_ms(e.event_timestamp)", "e.label"));
        List<String> valueRefs = new ArrayList<>(refs);
        if (segmentBy != null && !valueRefs.contains(segmentBy)) {
            valueRefs.add(segmentBy);
        }
        for (String ref : valueRefs) {
            select.add(
                    ref.startsWith(REQUEST)
                            ? "e." + quote(ref.substring(REQUEST.length()))
                            : "t." + quote(ref.replace(":", "__")));
        }
        String source = "read_parquet('" + entities + "') e";
        if (trainingSet != null) {
            source += " POSITIONAL JOIN read_parquet('" + trainingSet + "') t";
            try (Statement statement = duck.createStatement();
                    ResultSet mismatches = statement.executeQuery("SELECT count(*) FROM " + source
                            + " WHERE t.event_timestamp IS DISTINCT FROM e.event_timestamp")) {
                mismatches.next();
                if (mismatches.getLong(1) != 0) {
                    throw new IllegalStateException("the training set's rows are not in the entity rows' order");
                }
            }
        }
        long[] times = new long[rows];
        boolean[] labels = new boolean[rows];
        Map<String, double[]> columns = new LinkedHashMap<>();
        refs.forEach(ref -> columns.put(ref, new double[rows]));
        String[] segments = segmentBy == null ? null : new String[rows];
        try (Statement statement = duck.createStatement();
                ResultSet rs = statement.executeQuery("SELECT " + String.join(", ", select) + " FROM " + source)) {
            int r = 0;
            while (rs.next()) {
                times[r] = rs.getLong(1);
                labels[r] = rs.getBoolean(2);
                for (int c = 0; c < valueRefs.size(); c++) {
                    Object value = rs.getObject(3 + c);
                    String ref = valueRefs.get(c);
                    if (ref.equals(segmentBy)) {
                        segments[r] = value == null ? "(none)" : value.toString();
                    }
                    double[] column = columns.get(ref);
                    if (column != null) {
                        column[r] = number(value);
                    }
                }
                r++;
            }
        }
        return new Dataset(times, labels, columns, segments, fingerprint, from, to);
    }

    private static double number(Object value) {
        if (value == null) {
            return Double.NaN;
        }
        if (value instanceof Boolean bool) {
            return bool ? 1 : 0;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        return Double.NaN;
    }

    private static String fingerprint(Path entities, Path trainingSet) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : trainingSet == null ? List.of(entities) : List.of(entities, trainingSet)) {
                try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            return "sha256:" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String path(String field) {
        return "'$.\"" + field.replace("'", "''").replace("\"", "") + "\"'";
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String sqlType(ValueType type) {
        return switch (type) {
            case INT64 -> "BIGINT";
            case FLOAT64 -> "DOUBLE";
            case BOOL -> "BOOLEAN";
            case STRING -> "VARCHAR";
        };
    }
}
