package dev.sextant.features.stream;

import dev.sextant.features.FeatureStoreProperties;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.online.OnlineFeatureWriter;
import dev.sextant.features.offline.OfflineStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka Streams topology of the stream views: per view, its topic's events (repartitioned by the view's join
 * key unless the topic is keyed by it) into a {@link WindowAggregator} with two stores, the entity windows
 * (in memory, with a changelog, cached so the changelog gets the latest state per commit) and the
 * {@link StreamSink} that writes rows online and offline.
 */
final class StreamTopology {

    private StreamTopology() {}

    /** Adds every stream view of the repository to {@code builder}; answers the views added. */
    static List<FeatureView> build(
            StreamsBuilder builder,
            FeatureRepository repository,
            OnlineFeatureWriter online,
            OfflineStore offline,
            StreamMetrics metrics,
            FeatureStoreProperties.Stream settings,
            Clock clock) {
        List<FeatureView> views = repository.views().stream()
                .filter(view -> view.source() == FeatureView.Source.STREAM)
                .toList();
        Map<String, KStream<String, String>> topics = new HashMap<>();
        for (FeatureView view : views) {
            StreamViewPlan plan = new StreamViewPlan(view, clock);
            String topic = view.stream().topic();
            KStream<String, String> events = topics.computeIfAbsent(
                    topic, name -> builder.stream(name, Consumed.with(Serdes.String(), Serdes.String())));
            if (!keyedByTopic(view)) {
                events = events.flatMap((key, value) -> {
                            try {
                                return List.of(KeyValue.pair(plan.entityKey(value), value));
                            } catch (StreamViewPlan.RejectedEvent rejected) {
                                metrics.rejected(view, rejected.reason, rejected.getMessage(), topic);
                                return List.of();
                            }
                        })
                        .repartition(Repartitioned.<String, String>as(view.name() + "-by-entity")
                                .withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.String()));
            }
            String windows = view.name() + "-windows";
            String sink = view.name() + "-sink";
            builder.addStateStore(Stores.keyValueStoreBuilder(
                            Stores.inMemoryKeyValueStore(windows),
                            Serdes.String(),
                            WindowState.serde(plan.fieldCount()))
                    .withCachingEnabled());
            builder.addStateStore(
                    StreamSink.builder(sink, view, online, offline, metrics, settings.onlineRetry(), clock));
            events.process(
                    () -> new WindowAggregator(
                            plan, windows, sink, metrics, settings.onlineFlushInterval(), settings.maxPendingRows()),
                    windows,
                    sink);
        }
        return views;
    }

    private static boolean keyedByTopic(FeatureView view) {
        List<JoinKey> joinKeys = view.joinKeys();
        return joinKeys.size() == 1
                && joinKeys.get(0).name().equals(view.stream().topicKeyedBy());
    }
}
