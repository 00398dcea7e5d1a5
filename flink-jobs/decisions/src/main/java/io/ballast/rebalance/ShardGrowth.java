package io.ballast.rebalance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Growing a keyspace's shard count when its fullest shard passes the threshold (the seed documents' "add
 * shards when 80% full"): the new count is ceil(count × maxUtil / threshold), so the fullest shard's
 * share falls back under the threshold; the shards sit on a consistent-hash ring with virtual points, and
 * the expected data movement is exactly the share of the ring that changes owner.
 *
 * @param movedShare the share of keys (and of bytes, for keys spread by hash) that move to new shards
 * @param shares     each shard's share of the keyspace after growing
 */
public record ShardGrowth(int from, int to, double movedShare, long movedBytes, Map<String, Double> shares) {

    public static int newCount(int count, double maxUtil, double threshold) {
        if (count < 1 || !(maxUtil >= 0) || !(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "count %d, max utilisation %s, threshold %s: a count >= 1, a utilisation >= 0 and a threshold in (0, 1] are needed",
                    count, maxUtil, threshold));
        }
        return maxUtil <= threshold ? count : (int) Math.ceil(count * maxUtil / threshold - 1e-12);
    }

    public static ShardGrowth grow(int count, double maxUtil, double threshold, int vnodes, long totalBytes) {
        int to = newCount(count, maxUtil, threshold);
        HashRing before = new HashRing(names(count), vnodes);
        HashRing after = new HashRing(names(to), vnodes);
        double moved = HashRing.movedShare(before, after);
        return new ShardGrowth(count, to, moved, Math.round(moved * totalBytes), after.shares());
    }

    public static List<String> names(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(String.format(Locale.ROOT, "shard-%04d", i));
        }
        return names;
    }
}
