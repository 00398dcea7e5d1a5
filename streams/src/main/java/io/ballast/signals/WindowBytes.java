package io.ballast.signals;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Adds a sample to a window held as {@link ServiceWindowCodec}'s bytes without reading the whole window.
 * The window store hands the aggregate over as bytes on every sample; reading every instance and metric
 * of the service into maps and writing them back was most of the signals app's time. A sample of a metric
 * already in the window changes fixed-size fields (count, latest, readiness, max), inserts a counter's point
 * or inserts a new instance's series at its place in name order, so those are patched (in place, or in a
 * copy that is that much longer); anything else (a new metric, a latency sample that changes the sketch, a
 * new instance among names that are not plain ASCII) takes the full read, add and write. The result equals
 * read/add/write byte for byte.
 */
public final class WindowBytes {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int SERIES_FIXED = 8 + 8 + 1 + 8; // latestAt, latest, ready, max
    private static final int POINT = 16;
    private static final int NOT_FOUND = -1;
    /** {@link #compare}'s answer when byte order cannot tell String order. */
    private static final int UNORDERED = Integer.MIN_VALUE;

    private WindowBytes() {
    }

    /** The bytes of a window with no sample yet. */
    public static byte[] empty() {
        return ServiceWindowCodec.write(new ServiceWindow());
    }

    /**
     * The window's bytes with {@code sample} added. Like an aggregate object, {@code window} may be changed in
     * place (when the sample's series keeps its size) and returned; the window store hands each fetch its own copy.
     */
    public static byte[] add(byte[] window, Sample sample, LatencyRule latency) {
        boolean sketchChanges = !sample.counter() && sample.ready() && latency.test(sample);
        int metricAt = sketchChanges ? NOT_FOUND : metricOf(window, sample.metric());
        byte[] patched = metricAt == NOT_FOUND ? null : addToMetric(window, metricAt, sample);
        return patched != null ? patched : ServiceWindowCodec.write(ServiceWindowCodec.read(window).add(sample, latency));
    }

    /** Where the metric's window starts (its service name), or {@link #NOT_FOUND}. */
    private static int metricOf(byte[] window, String metric) {
        if (window.length < 5 || window[0] != ServiceWindowCodec.version()) {
            return NOT_FOUND;
        }
        int metrics = (int) INT.get(window, 1);
        Name name = Name.of(metric);
        int at = 5;
        for (int m = 0; m < metrics; m++) {
            int metricName = nameEnd(window, at);
            if (nameIs(window, metricName, name)) {
                return at;
            }
            at = nameEnd(window, nameEnd(window, metricName)) + 1; // unit, counter
            at += 8; // count
            int instances = (int) INT.get(window, at);
            at += 4;
            for (int i = 0; i < instances; i++) {
                at = seriesEnd(window, nameEnd(window, at));
            }
            at = sketchEnd(window, at);
        }
        return NOT_FOUND;
    }

    /** The window with the sample added to its metric at {@code metricAt}; null when only the full path can. */
    private static byte[] addToMetric(byte[] window, int metricAt, Sample sample) {
        int countAt = nameEnd(window, nameEnd(window, nameEnd(window, metricAt))) + 1;
        int instancesAt = countAt + 8;
        int instances = (int) INT.get(window, instancesAt);
        int at = instancesAt + 4;
        Name instance = Name.of(sample.instance());
        for (int i = 0; i < instances; i++) {
            int order = compare(window, at, instance);
            if (order == UNORDERED) {
                return null;
            }
            if (order == 0) {
                return patchSeries(window, countAt, nameEnd(window, at), sample);
            }
            if (order > 0) {
                break;
            }
            at = seriesEnd(window, nameEnd(window, at));
        }
        return instance.ascii() ? insertSeries(window, countAt, at, sample) : null;
    }

    private static byte[] patchSeries(byte[] window, int countAt, int seriesAt, Sample sample) {
        int pointsAt = seriesAt + SERIES_FIXED;
        int points = (int) INT.get(window, pointsAt);
        int firstPoint = pointsAt + 4;
        int insertAt = firstPoint + points * POINT;
        while (insertAt > firstPoint && (long) LONG.get(window, insertAt - POINT) > sample.at()) {
            insertAt -= POINT;
        }
        boolean sameInstant = insertAt > firstPoint && (long) LONG.get(window, insertAt - POINT) == sample.at();
        boolean grows = sample.counter() && !sameInstant;
        byte[] out = grows ? opened(window, insertAt, POINT) : window;
        LONG.set(out, countAt, (long) LONG.get(out, countAt) + 1);
        if (sample.at() >= (long) LONG.get(out, seriesAt)) {
            LONG.set(out, seriesAt, sample.at());
            putDouble(out, seriesAt + 8, sample.value());
            out[seriesAt + 16] = (byte) (sample.ready() ? 1 : 0);
        }
        putDouble(out, seriesAt + 17, Math.max(Double.longBitsToDouble((long) LONG.get(out, seriesAt + 17)), sample.value()));
        if (sample.counter()) {
            int point = sameInstant ? insertAt - POINT : insertAt; // a re-sent reading of the same instant replaces the first
            LONG.set(out, point, sample.at());
            putDouble(out, point + 8, sample.value());
            if (grows) {
                INT.set(out, pointsAt, points + 1);
            }
        }
        return out;
    }

    /** A new instance's series at {@code at}, where name order puts it; its name is plain ASCII. */
    private static byte[] insertSeries(byte[] window, int countAt, int at, Sample sample) {
        String name = sample.instance();
        int length = 2 + name.length() + SERIES_FIXED + 4 + (sample.counter() ? POINT : 0);
        byte[] out = opened(window, at, length);
        out[at] = (byte) (name.length() >>> 8);
        out[at + 1] = (byte) name.length();
        for (int i = 0; i < name.length(); i++) {
            out[at + 2 + i] = (byte) name.charAt(i);
        }
        int series = at + 2 + name.length();
        LONG.set(out, series, sample.at());
        putDouble(out, series + 8, sample.value());
        out[series + 16] = (byte) (sample.ready() ? 1 : 0);
        putDouble(out, series + 17, Math.max(Double.NEGATIVE_INFINITY, sample.value()));
        INT.set(out, series + SERIES_FIXED, sample.counter() ? 1 : 0);
        if (sample.counter()) {
            LONG.set(out, series + SERIES_FIXED + 4, sample.at());
            putDouble(out, series + SERIES_FIXED + 12, sample.value());
        }
        LONG.set(out, countAt, (long) LONG.get(out, countAt) + 1);
        INT.set(out, countAt + 8, (int) INT.get(out, countAt + 8) + 1);
        return out;
    }

    /** A copy of {@code window} with {@code gap} bytes opened at {@code at}. */
    private static byte[] opened(byte[] window, int at, int gap) {
        byte[] out = new byte[window.length + gap];
        System.arraycopy(window, 0, out, 0, at);
        System.arraycopy(window, at, out, at + gap, window.length - at);
        return out;
    }

    /** As the codec writes a double: {@link Double#doubleToLongBits}, one NaN for all. */
    private static void putDouble(byte[] out, int at, double value) {
        LONG.set(out, at, Double.doubleToLongBits(value));
    }

    private static int nameEnd(byte[] window, int at) {
        return at + 2 + nameLength(window, at);
    }

    private static int nameLength(byte[] window, int at) {
        return (window[at] & 0xFF) << 8 | (window[at + 1] & 0xFF);
    }

    /** Whether the name at {@code at} is {@code name}, compared without decoding either. */
    private static boolean nameIs(byte[] window, int at, Name name) {
        if (!name.ascii()) {
            return java.util.Arrays.equals(window, at, at + 2 + nameLength(window, at), name.encoded(), 0, name.encoded().length);
        }
        int length = nameLength(window, at);
        if (length != name.text().length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (window[at + 2 + i] != name.text().charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The order of the name at {@code at} against {@code name} as {@link String#compareTo} has it (the
     * window's instances are in that order), or {@link #UNORDERED} when either name is not plain ASCII (and
     * they differ), where modified UTF-8's byte order and String order differ.
     */
    private static int compare(byte[] window, int at, Name sought) {
        int length = nameLength(window, at);
        if (!sought.ascii()) {
            return nameIs(window, at, sought) ? 0 : UNORDERED;
        }
        String name = sought.text();
        int common = Math.min(length, name.length());
        for (int i = 0; i < common; i++) {
            int stored = window[at + 2 + i];
            if (stored <= 0) {
                return UNORDERED;
            }
            if (stored != name.charAt(i)) {
                return stored - name.charAt(i);
            }
        }
        for (int i = common; i < length; i++) {
            if (window[at + 2 + i] <= 0) {
                return UNORDERED;
            }
        }
        return length - name.length();
    }

    /**
     * A name sought in the window, checked once: plain ASCII is compared character by character, anything else
     * by its encoded bytes ({@code encoded} is null for plain ASCII).
     */
    private record Name(String text, byte[] encoded) {
        static Name of(String text) {
            return new Name(text, plainAscii(text) ? null : ServiceWindowCodec.encodedName(text));
        }

        boolean ascii() {
            return encoded == null;
        }
    }

    /** Characters 1 to 127 only: one byte each in modified UTF-8, in the same order as the characters. */
    private static boolean plainAscii(String name) {
        if (name.length() > 0xFFFF) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0 || c >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static int seriesEnd(byte[] window, int seriesAt) {
        int points = (int) INT.get(window, seriesAt + SERIES_FIXED);
        return seriesAt + SERIES_FIXED + 4 + points * POINT;
    }

    private static int sketchEnd(byte[] window, int at) {
        if (window[at] == 0) {
            return at + 1;
        }
        int bins = (int) INT.get(window, at + 1 + 16);
        return at + 1 + 16 + 4 + bins * 12;
    }
}
