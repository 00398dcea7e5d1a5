package io.ballast.store;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The right edge of the Merkle tree: the last node of each level, all an append needs to read. */
final class Frontier {
    private final Map<Integer, long[]> index = new HashMap<>();
    private final Map<Integer, byte[]> hash = new HashMap<>();

    synchronized byte[] get(int level, long i, Supplier<byte[]> load) {
        long[] at = index.get(level);
        return at != null && at[0] == i ? hash.get(level) : load.get();
    }

    synchronized void put(int level, long i, byte[] h) {
        long[] at = index.get(level);
        if (at == null || at[0] < i) {
            index.put(level, new long[] {i});
            hash.put(level, h);
        }
    }
}
