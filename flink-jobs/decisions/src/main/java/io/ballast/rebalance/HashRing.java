package io.ballast.rebalance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A consistent-hash ring with virtual points: member m owns the points SHA-256(m#i), i &lt; vnodes, as
 * unsigned 64-bit positions, and a key belongs to the member of the first point at or after its hash
 * (wrapping). A member's points depend only on its name, so they stay fixed when others join or leave:
 * adding members moves keys only onto the new members.
 */
public final class HashRing {
    private final TreeMap<Long, String> points = new TreeMap<>(Long::compareUnsigned);
    private final int vnodes;

    public HashRing(Collection<String> members, int vnodes) {
        if (members.isEmpty() || vnodes < 1) {
            throw new IllegalArgumentException("a ring needs at least one member and one virtual point each");
        }
        this.vnodes = vnodes;
        for (String member : new TreeSet<>(members)) {
            for (int i = 0; i < vnodes; i++) {
                // a collision between two members' points goes to the smaller name, whatever the join order
                points.merge(position(member + "#" + i), member, (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        }
    }

    public int vnodes() {
        return vnodes;
    }

    static long position(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long position = 0;
            for (int i = 0; i < 8; i++) {
                position = (position << 8) | (digest[i] & 0xFF);
            }
            return position;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The member that owns a key. */
    public String owner(String key) {
        return ownerOf(position(key));
    }

    String ownerOf(long position) {
        Map.Entry<Long, String> at = points.ceilingEntry(position);
        return (at != null ? at : points.firstEntry()).getValue();
    }

    /** The share of the hash space each member owns (sums to 1). */
    public Map<String, Double> shares() {
        Map<String, Double> shares = new TreeMap<>();
        long previous = points.lastKey();
        for (Map.Entry<Long, String> point : points.entrySet()) {
            shares.merge(point.getValue(), arc(previous, point.getKey()), Double::sum);
            previous = point.getKey();
        }
        return shares;
    }

    /**
     * The exact share of the hash space whose owner differs between two rings: the expected share of keys
     * (and of bytes, for keys spread by hash) that moves when one ring becomes the other.
     */
    public static double movedShare(HashRing before, HashRing after) {
        TreeSet<Long> boundaries = new TreeSet<>(Long::compareUnsigned);
        boundaries.addAll(before.points.keySet());
        boundaries.addAll(after.points.keySet());
        double moved = 0;
        long previous = boundaries.last();
        for (long boundary : boundaries) {
            // every position in (previous, boundary] has the same owner in each ring: that of boundary
            if (!before.ownerOf(boundary).equals(after.ownerOf(boundary))) {
                moved += arc(previous, boundary);
            }
            previous = boundary;
        }
        return moved;
    }

    /** The share of the ring in (from, to], going clockwise; a full turn when they are equal. */
    private static double arc(long from, long to) {
        long length = to - from;
        return length == 0 ? 1.0 : unsigned(length) / 0x1p64;
    }

    private static double unsigned(long value) {
        return value >= 0 ? value : (value >>> 1) * 2.0 + (value & 1);
    }
}
