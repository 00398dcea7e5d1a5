package io.ballast.embedded.junit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

import io.ballast.embedded.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits for a consumer group (a job's sources) to have committed everything written to some topics, sets a group
 * that has not started yet to begin at their end, or assigns a consumer without a group to a topic's end.
 */
public final class ConsumerGroups {
    /** Kafka signals no offset commit to an outsider, so the committed offsets are polled at this interval. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private ConsumerGroups() {
    }

    /**
     * Returns once {@code group}'s committed offsets reach the end offsets, read once at the call, of every
     * partition of {@code topics}; throws {@link AssertionError} naming both after {@code timeout}.
     */
    public static void awaitCaughtUp(EmbeddedKafka kafka, String group, List<String> topics, Duration timeout)
            throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) -> description.partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                boolean caughtUp = ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                        || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue().offset()));
                if (caughtUp) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("group " + group + " did not catch up on " + topics + " within " + timeout
                            + ": ends " + ends + ", committed " + committed);
                }
                LockSupport.parkNanos(POLL_INTERVAL.toNanos());
            }
        }
    }

    /**
     * Commits {@code group} at the current end of every partition of {@code topics}, so that a consumer (a job's source, a
     * Connect sink) starting with it reads only what comes next, not what other runs left there. The group must not be
     * active.
     */
    public static void startAtTheEnd(EmbeddedKafka kafka, String group, List<String> topics) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) -> description.partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, end) -> ends.put(tp, new OffsetAndMetadata(end.offset())));
            admin.alterConsumerGroupOffsets(group, ends).all().get();
        }
    }

    /**
     * Assigns {@code consumer} every partition of {@code topic} at its current end (positions resolved now), so that it
     * reads only what is written from here on: a watcher timing records as they arrive.
     */
    public static void assignAtTheEnd(Consumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }
}
