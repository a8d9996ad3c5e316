package dev.sextant.benchmarks;

import dev.sextant.features.client.definition.DefinitionFile;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureRepositoryLoader;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.online.FeatureRow;
import dev.sextant.features.client.online.OnlineFeatureReader;
import dev.sextant.features.client.online.OnlineFeatureWriter;
import dev.sextant.features.client.online.OnlineFeatures;
import dev.sextant.features.client.online.OnlineStoreConnection;
import dev.sextant.features.client.online.RedisLayout;
import dev.sextant.testsupport.RedisServer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Online read of 250 features for one entity through the feature-store client, from a local Redis (the
 * machine's redis-server, else the binary from Maven Central), as the prediction service does per request.
 * {@code views} spreads the 250 features over 1 view (one HMGET of 250 fields) or 5 views (five pipelined
 * HMGETs of 50). {@code redisFloor} sends the same HMGETs raw — no validation, no decoding — as the floor the
 * client's overhead is measured against, in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OnlineReadBenchmark {

    private static final int FEATURES = 250;

    @Param({"1", "5"})
    public int views;

    private RedisServer redis;
    private OnlineStoreConnection connection;
    private OnlineFeatureReader reader;
    private List<String> features;
    private Map<String, List<Object>> entity;
    private List<String> keys;
    private List<String[]> fields;

    @Setup(Level.Trial)
    public void setUp() {
        redis = RedisServer.startDedicated();
        FeatureRepository repository = FeatureRepositoryLoader.load(List.of(new DefinitionFile("bench.yaml", yaml())));
        connection = new OnlineStoreConnection(redis.url(), Duration.ofSeconds(2));
        OnlineFeatureWriter writer = new OnlineFeatureWriter(connection, Duration.ofSeconds(2), Duration.ZERO);
        reader = new OnlineFeatureReader(repository, connection, Duration.ofSeconds(2), 1000, Clock.systemUTC());
        features = new ArrayList<>();
        keys = new ArrayList<>();
        fields = new ArrayList<>();
        for (FeatureView view : repository.views()) {
            Map<String, Object> values = new HashMap<>();
            List<String> viewFields = new ArrayList<>(List.of(RedisLayout.TIMESTAMP_FIELD));
            view.features().forEach(feature -> {
                values.put(feature.name(), Math.random() * 1000);
                features.add(view.name() + ":" + feature.name());
                viewFields.add(feature.name());
            });
            writer.write(
                    view, List.of(FeatureRow.checked(view, 0, Map.of("card_id", "card-1"), Instant.now(), values)));
            keys.add(RedisLayout.key(view, List.of("card-1")));
            fields.add(viewFields.toArray(String[]::new));
        }
        entity = Map.of("card_id", List.of("card-1"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        connection.close();
        redis.close();
    }

    @Benchmark
    public OnlineFeatures clientRead() {
        return reader.read(features, entity);
    }

    @Benchmark
    public List<KeyValue<String, String>> redisFloor() throws Exception {
        RedisAsyncCommands<String, String> async = connection.get().async();
        List<RedisFuture<List<KeyValue<String, String>>>> futures = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            futures.add(async.hmget(keys.get(i), fields.get(i)));
        }
        LettuceFutures.awaitAll(2, TimeUnit.SECONDS, futures.toArray(RedisFuture[]::new));
        return futures.get(futures.size() - 1).get();
    }

    private String yaml() {
        StringBuilder yaml = new StringBuilder(
                """
                entities:
                  - name: card
                    join_keys: [{name: card_id, type: STRING}]
                feature_views:
                """);
        int perView = FEATURES / views;
        for (int v = 0; v < views; v++) {
            yaml.append("  - name: view_")
                    .append(v)
                    .append('\n')
                    .append("    entities: [card]\n    ttl: 1h\n    source: stream\n    features:\n");
            for (int f = 0; f < perView; f++) {
                yaml.append("      - {name: f_").append(f).append(", type: FLOAT64}\n");
            }
        }
        return yaml.toString();
    }
}
