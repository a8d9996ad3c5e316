package dev.sextant.features.stream;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * An event a stream view cannot use, as its dead-letter record: the bytes as they came, the event's own headers,
 * and why ({@code sextant-error}), where it came from ({@code sextant-source}, {@code topic-partition@offset}) and
 * which view gave up on it ({@code sextant-consumer}).
 */
final class DeadLetterRecords implements FixedKeyProcessor<String, StreamTopology.Judged, byte[]> {

    private final byte[] consumer;
    private FixedKeyProcessorContext<String, byte[]> context;

    DeadLetterRecords(String consumer) {
        this.consumer = consumer.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, StreamTopology.Judged> record) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add("sextant-error", record.value().reason().getBytes(StandardCharsets.UTF_8));
        String source = context.recordMetadata()
                .map(meta -> meta.topic() + "-" + meta.partition() + "@" + meta.offset())
                .orElse("unknown");
        headers.add("sextant-source", source.getBytes(StandardCharsets.UTF_8));
        headers.add("sextant-consumer", consumer);
        context.forward(record.withValue(record.value().raw()).withHeaders(headers));
    }
}
