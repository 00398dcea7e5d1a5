package io.ballast.rebalance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class HashRingTest {
    @Test
    void newCountBringsTheFullestShardUnderTheThreshold() {
        assertEquals(12, ShardGrowth.newCount(10, 0.95, 0.8));
        assertEquals(10, ShardGrowth.newCount(10, 0.8, 0.8));
        assertEquals(20, ShardGrowth.newCount(10, 1.6, 0.8));
        assertEquals(4, ShardGrowth.newCount(3, 0.81, 0.8));
    }

    @Test
    void growingMovesExactlyTheNewShardsShareAndOnlyToThem() {
        ShardGrowth growth = ShardGrowth.grow(10, 0.95, 0.8, 128, 1_000_000_000L);
        assertEquals(12, growth.to());
        double newShare = growth.shares().get("shard-0010") + growth.shares().get("shard-0011");
        assertEquals(newShare, growth.movedShare(), 1e-12);
        assertEquals(Math.round(newShare * 1e9), growth.movedBytes());
        assertEquals(1.0, growth.shares().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
        // 2 of 12 equal shards would take 1/6; 128 virtual points keep the real share close to that
        assertEquals(2.0 / 12, growth.movedShare(), 0.03);
    }

    @Property(tries = 40)
    void addingMembersMovesKeysOnlyOntoTheNewMembers(@ForAll @IntRange(min = 1, max = 12) int members,
                                                     @ForAll @IntRange(min = 1, max = 4) int added,
                                                     @ForAll @IntRange(min = 1, max = 64) int vnodes) {
        HashRing before = new HashRing(ShardGrowth.names(members), vnodes);
        HashRing after = new HashRing(ShardGrowth.names(members + added), vnodes);
        List<String> newMembers = new ArrayList<>(ShardGrowth.names(members + added).subList(members, members + added));
        int moved = 0;
        for (int k = 0; k < 2000; k++) {
            String key = "key-" + k;
            String was = before.owner(key);
            String is = after.owner(key);
            if (!was.equals(is)) {
                moved++;
                assertTrue(newMembers.contains(is), () -> key + " moved from " + was + " to old member " + is);
            }
        }
        Map<String, Double> shares = after.shares();
        double expected = newMembers.stream().mapToDouble(shares::get).sum();
        assertEquals(expected, HashRing.movedShare(before, after), 1e-12);
        assertEquals(expected, moved / 2000.0, 0.05);
    }
}
