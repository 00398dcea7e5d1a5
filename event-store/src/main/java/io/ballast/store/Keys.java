package io.ballast.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Key encodings: big-endian numbers (so byte order is numeric order), names then a 0 byte then numbers. */
final class Keys {
    private Keys() {
    }

    static byte[] position(long position) {
        return ByteBuffer.allocate(8).putLong(position).array();
    }

    static long readLong(byte[] bytes, int offset) {
        return ByteBuffer.wrap(bytes, offset, 8).getLong();
    }

    static byte[] named(String name, long number) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(n.length + 9).put(n).put((byte) 0).putLong(number).array();
    }

    static byte[] namePrefix(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(n, n.length + 1);
    }

    static long numberAfterName(byte[] key) {
        return readLong(key, key.length - 8);
    }

    /** Event time first (sign-flipped so negative times sort first), then position. */
    static byte[] time(long epochMillis, long position) {
        return ByteBuffer.allocate(16).putLong(epochMillis ^ Long.MIN_VALUE).putLong(position).array();
    }

    static long timeOf(byte[] key) {
        return readLong(key, 0) ^ Long.MIN_VALUE;
    }

    static byte[] merkle(int level, long index) {
        return ByteBuffer.allocate(9).put((byte) level).putLong(index).array();
    }

    static byte[] uuid(java.util.UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
