package io.ballast.signals;

import java.util.Map;

/**
 * A consumer group's lag on one topic: per partition the end offset minus the committed one (the whole
 * partition, from its start, when the group has committed nothing there).
 *
 * @param total      the sum over partitions
 * @param max        the largest partition lag
 * @param partitions the topic's partition count
 */
public record ConsumerLag(long total, long max, int partitions) {
    public static ConsumerLag of(Map<Integer, Long> start, Map<Integer, Long> end, Map<Integer, Long> committed) {
        long total = 0;
        long max = 0;
        for (Map.Entry<Integer, Long> e : end.entrySet()) {
            long from = committed.getOrDefault(e.getKey(), start.getOrDefault(e.getKey(), 0L));
            long lag = Math.max(0, e.getValue() - Math.max(from, start.getOrDefault(e.getKey(), 0L)));
            total += lag;
            max = Math.max(max, lag);
        }
        return new ConsumerLag(total, max, end.size());
    }
}
