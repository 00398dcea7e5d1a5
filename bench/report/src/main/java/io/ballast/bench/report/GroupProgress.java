package io.ballast.bench.report;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.ballast.client.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How fast a consumer group (a job's or an app's sources) works through a backlog, from its committed offsets:
 * the backlog over the seconds from the call (made as the job or app is started) to the commit covering it, and
 * the commits seen on the way. Startup is counted: measured from the first commit instead, the figure swung by
 * 100x between rounds, as the jobs commit in a few large steps (see {@link Result#steps}).
 */
public final class GroupProgress {
    /** Kafka tells an outsider of no commit, so the offsets are polled at this interval. */
    private static final Duration POLL = Duration.ofMillis(50);

    /** What was seen: records between the first commit and the end, and the wall time of each. */
    public record Result(long records, double steadySeconds, double totalSeconds, long backlog, String steps) {
        /** The backlog over the whole time, start to the commit covering it. */
        public double perSecond() {
            return backlog / totalSeconds;
        }
    }

    private GroupProgress() {
    }

    /** Why the job or app being measured stopped, or null while it runs. */
    @FunctionalInterface
    public interface Failure {
        String check() throws Exception;
    }

    /**
     * Polls {@code group}'s committed offsets on {@code topics} until they cover the end offsets read at the call;
     * throws as soon as {@code failure} reports that what is measured stopped, or after {@code timeout}.
     */
    public static Result await(KafkaClients clients, String group, List<String> topics, Duration timeout, Failure failure)
            throws Exception {
        long start = System.nanoTime();
        try (Admin admin = clients.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((topic, d) -> d.partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            long backlog = ends.values().stream().mapToLong(Long::longValue).sum();
            long firstCommitAt = 0;
            long firstCommitted = 0;
            long deadline = start + timeout.toNanos();
            StringBuilder steps = new StringBuilder();
            long last = -1;
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                long now = System.nanoTime();
                long done = ends.keySet().stream().mapToLong(tp -> committed.get(tp) == null ? 0 : committed.get(tp).offset()).sum();
                if (done != last) {
                    steps.append(String.format(" %.1fs:%d", (now - start) / 1e9, done));
                    last = done;
                }
                if (done > 0 && firstCommitAt == 0) {
                    firstCommitAt = now;
                    firstCommitted = done;
                }
                if (done >= backlog) {
                    return new Result(done - firstCommitted, (now - firstCommitAt) / 1e9, (now - start) / 1e9, backlog, steps.toString().strip());
                }
                String failed = failure.check();
                if (failed != null) {
                    throw new IllegalStateException(group + " stopped after " + done + " of " + backlog + " records: " + failed);
                }
                if (now > deadline) {
                    throw new IllegalStateException("group " + group + " did not work through " + topics + " within " + timeout
                            + ": " + done + " of " + backlog + " committed");
                }
                LockSupport.parkNanos(POLL.toNanos());
            }
        }
    }
}
