package dev.sextant.features.stream;

import dev.sextant.features.EventTimes;
import dev.sextant.features.FeatureStoreProperties;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.JoinKey;
import dev.sextant.features.client.online.OnlineFeatureWriter;
import dev.sextant.features.offline.OfflineStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka Streams topology of the stream views: each topic's events read once for all its views
 * ({@link TopicParser}); per view, its events taken from them (ones it cannot use counted and skipped),
 * repartitioned by the view's join key unless the topic is keyed by it (as compact binary events), into a {@link WindowAggregator} with two stores: the entity windows (in memory, with a changelog; the
 * aggregator writes each changed entity once per commit) and the {@link StreamSink} that writes rows online and
 * offline.
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
            EventTimes times,
            Clock clock) {
        List<FeatureView> views = streamViews(repository);
        Map<String, List<FeatureView>> byTopic = new LinkedHashMap<>();
        views.forEach(view -> byTopic.computeIfAbsent(view.stream().topic(), topic -> new ArrayList<>())
                .add(view));
        byTopic.forEach((topic, topicViews) -> {
            TopicParser parser = new TopicParser(topicViews.stream()
                    .flatMap(view -> StreamViewPlan.names(view).stream())
                    .toList());
            KStream<String, TopicParser.Parsed> parsed = builder.stream(
                            topic, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                    .mapValues(parser::parse);
            for (FeatureView view : topicViews) {
                addView(builder, view, parsed, parser, online, offline, metrics, settings, times, clock);
            }
        });
        return views;
    }

    /** One view's events from its topic's parsed events, keyed by entity, into its aggregator and sink. */
    private static void addView(
            StreamsBuilder builder,
            FeatureView view,
            KStream<String, TopicParser.Parsed> parsed,
            TopicParser parser,
            OnlineFeatureWriter online,
            OfflineStore offline,
            StreamMetrics metrics,
            FeatureStoreProperties.Stream settings,
            EventTimes times,
            Clock clock) {
        StreamViewPlan plan = new StreamViewPlan(view, times, parser);
        String topic = view.stream().topic();
        KStream<String, Judged> judged = parsed.mapValues(event -> judge(plan, view, event, metrics, topic));
        // the events the view cannot use go to the topic's dead-letter topic, in the same transaction as the
        // offsets that pass them: consumption goes on, and none is both skipped and lost
        judged.filter((key, event) -> event.event() == null)
                .processValues(
                        () -> new DeadLetterRecords("feature-store " + view.name()),
                        Named.as(view.name() + "-rejected"))
                .to(deadLetterTopic(topic), Produced.with(Serdes.String(), Serdes.ByteArray()));
        KStream<String, StreamViewPlan.Event> events =
                judged.filter((key, event) -> event.event() != null).mapValues(Judged::event);
        if (!keyedByTopic(view)) {
            events = events.selectKey((key, event) -> event.entityKey())
                    .repartition(Repartitioned.<String, StreamViewPlan.Event>as(view.name() + "-by-entity")
                            .withKeySerde(Serdes.String())
                            .withValueSerde(StreamViewPlan.Event.serde()));
        }
        String windows = view.name() + "-windows";
        String sink = view.name() + "-sink";
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(windows), Serdes.String(), WindowState.serde(plan.fieldCount()))
                // Not cached: the aggregator writes back once per commit, from the sink's pre-commit flush,
                // which may run after this store's cache flush; uncached, the writes reach the changelog in the
                // same commit.
                .withCachingDisabled());
        builder.addStateStore(StreamSink.builder(sink, view, online, offline, metrics, settings.onlineRetry(), clock));
        events.process(
                () -> new WindowAggregator(
                        plan,
                        windows,
                        sink,
                        metrics,
                        settings.onlineFlushInterval(),
                        settings.maxPendingRows(),
                        settings.ageingDelay()),
                windows,
                sink);
    }

    /** A topic's event as one view judged it: the view's event, or why the view cannot use it, with its bytes. */
    record Judged(StreamViewPlan.Event event, String reason, byte[] raw) {}

    private static Judged judge(
            StreamViewPlan plan, FeatureView view, TopicParser.Parsed parsed, StreamMetrics metrics, String topic) {
        try {
            return new Judged(plan.event(parsed), null, null);
        } catch (StreamViewPlan.RejectedEvent rejected) {
            metrics.rejected(view, rejected.reason, rejected.getMessage(), topic);
            return new Judged(null, rejected.getMessage(), parsed.raw());
        } catch (RuntimeException e) {
            // an event that fails the view in a way its rules did not foresee is still one event: it must not stop
            // the stream thread, which would be replaced and fail on the same event again
            metrics.rejected(view, "unprocessable", e.toString(), topic);
            return new Judged(null, "could not be processed: " + e, parsed.raw());
        }
    }

    static String deadLetterTopic(String topic) {
        return topic + ".dead-letter";
    }

    /** The views whose source is a stream: the ones this topology computes. */
    static List<FeatureView> streamViews(FeatureRepository repository) {
        return repository.views().stream()
                .filter(view -> view.source() == FeatureView.Source.STREAM)
                .toList();
    }

    private static boolean keyedByTopic(FeatureView view) {
        List<JoinKey> joinKeys = view.joinKeys();
        return joinKeys.size() == 1
                && joinKeys.get(0).name().equals(view.stream().topicKeyedBy());
    }
}
