package io.ballast.rebalance;

/**
 * The replica slots on one node ({@link Placement#slotKey}s), in ascending order: the order every scan of a node's
 * replicas takes, so plans are deterministic. A sorted array of primitives, read by index ({@link #size},
 * {@link #get}); a node holds tens of replicas, so an insertion's copy is short.
 */
final class SlotKeys {
    private long[] keys = new long[16];
    private int size;

    void add(long key) {
        int at = java.util.Arrays.binarySearch(keys, 0, size, key);
        if (at >= 0) {
            return;
        }
        at = -(at + 1);
        if (size == keys.length) {
            keys = java.util.Arrays.copyOf(keys, size * 2);
        }
        System.arraycopy(keys, at, keys, at + 1, size - at);
        keys[at] = key;
        size++;
    }

    void remove(long key) {
        int at = java.util.Arrays.binarySearch(keys, 0, size, key);
        if (at >= 0) {
            System.arraycopy(keys, at + 1, keys, at, size - at - 1);
            size--;
        }
    }

    int size() {
        return size;
    }

    /** The {@code i}th key in ascending order. */
    long get(int i) {
        return keys[i];
    }
}
