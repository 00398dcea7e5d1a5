package io.ballast.store.replay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.ballast.catalog.ReplayHeaders;
import io.ballast.store.StoredEvent;
import io.ballast.store.kafka.KafkaIngest;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One replay's stored events as the records it publishes: the event's key, data, time and headers, plus the replay's
 * headers. Built on the sending thread once per event, so the headers that repeat from event to event (the replay id,
 * the type, the source topic and partition) are made once, and numbers go to ASCII without a String in between.
 */
final class ReplayRecords {
    private static final int CACHED_PARTITIONS = 256;

    private final String topic;
    /** Headers are immutable and only read by the producer: those that repeat are shared between records. */
    private final Header replayId;
    private final Header[] sourcePartitions = new Header[CACHED_PARTITIONS];
    private String lastType;
    private Header lastTypeHeader;
    private String lastSourceTopic;
    private Header lastSourceTopicHeader;

    ReplayRecords(String topic, String replayId) {
        this.topic = topic;
        this.replayId = new RecordHeader(ReplayHeaders.REPLAY_ID, replayId.getBytes(StandardCharsets.UTF_8));
    }

    ProducerRecord<byte[], byte[]> of(StoredEvent e) {
        List<Header> headers = new ArrayList<>(e.headers().size() + 6);
        e.headers().forEach((name, value) -> {
            if (!name.equals(KafkaIngest.KEY_HEADER)) {
                headers.add(new RecordHeader(name, value));
            }
        });
        headers.add(replayId);
        headers.add(new RecordHeader(ReplayHeaders.POSITION, ascii(e.position())));
        headers.add(typeHeader(e.type()));
        if (e.origin() != null) {
            headers.add(sourceTopicHeader(e.origin().topic()));
            headers.add(sourcePartitionHeader(e.origin().partition()));
            headers.add(new RecordHeader(ReplayHeaders.SOURCE_OFFSET, ascii(e.origin().offset())));
        }
        byte[] original = e.headers().get(KafkaIngest.KEY_HEADER);
        return new ProducerRecord<>(topic, null, e.occurredAt().toEpochMilli(), original != null ? original : keyOf(e.stream()),
                e.data(), new RecordHeaders(headers));
    }

    /** The stream's name without its topic: the key the event was produced with. */
    private static byte[] keyOf(String stream) {
        int slash = stream.indexOf('/');
        return (slash >= 0 ? stream.substring(slash + 1) : stream).getBytes(StandardCharsets.UTF_8);
    }

    private Header typeHeader(String type) {
        if (!type.equals(lastType)) {
            lastType = type;
            lastTypeHeader = new RecordHeader(ReplayHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        }
        return lastTypeHeader;
    }

    private Header sourceTopicHeader(String sourceTopic) {
        if (!sourceTopic.equals(lastSourceTopic)) {
            lastSourceTopic = sourceTopic;
            lastSourceTopicHeader = new RecordHeader(ReplayHeaders.SOURCE_TOPIC, sourceTopic.getBytes(StandardCharsets.UTF_8));
        }
        return lastSourceTopicHeader;
    }

    private Header sourcePartitionHeader(int partition) {
        if (partition < 0 || partition >= CACHED_PARTITIONS) {
            return new RecordHeader(ReplayHeaders.SOURCE_PARTITION, ascii(partition));
        }
        if (sourcePartitions[partition] == null) {
            sourcePartitions[partition] = new RecordHeader(ReplayHeaders.SOURCE_PARTITION, ascii(partition));
        }
        return sourcePartitions[partition];
    }

    /** The decimal digits of {@code value}, as {@code Long.toString(value)} would give them, in ASCII. */
    static byte[] ascii(long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        }
        int rest = (int) value; // int division by a constant compiles to a multiply
        int digits = 1;
        for (int more = rest / 10; more > 0; more /= 10) {
            digits++;
        }
        byte[] out = new byte[digits];
        for (int i = digits - 1; i >= 0; i--) {
            out[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return out;
    }
}
