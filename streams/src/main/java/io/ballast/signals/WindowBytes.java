package io.ballast.signals;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Adds a sample to a window held as {@link ServiceWindowCodec}'s bytes without reading the whole window.
 * The window store hands the aggregate over as bytes on every sample; reading every instance and metric
 * of the service into maps and writing them back was most of the signals app's time. A sample of a series
 * already in the window only changes fixed-size fields (count, latest, readiness, max) or inserts a
 * counter's point, so those are patched (in place, or in a copy one point longer); anything else (a new metric or instance, a latency
 * sample that changes the sketch) takes the full read, add and write. The result equals read/add/write
 * byte for byte.
 */
public final class WindowBytes {
    private static final int SERIES_FIXED = 8 + 8 + 1 + 8; // latestAt, latest, ready, max
    private static final int POINT = 16;

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
        boolean sketchChanges = latency.test(sample) && !sample.counter() && sample.ready();
        long found = sketchChanges ? -1 : seriesOf(window, sample);
        if (found < 0) {
            return ServiceWindowCodec.write(ServiceWindowCodec.read(window).add(sample, latency));
        }
        return patch(window, (int) (found >>> 32), (int) found, sample);
    }

    /**
     * Where the sample's metric keeps its count (high 32 bits) and where its instance's series starts, just
     * after the instance's name (low 32 bits); -1 when either is not in the window yet.
     */
    private static long seriesOf(byte[] window, Sample sample) {
        if (window.length < 5 || window[0] != ServiceWindowCodec.version()) {
            return -1;
        }
        ByteBuffer in = ByteBuffer.wrap(window);
        in.position(1);
        int metrics = in.getInt();
        byte[] metricName = ServiceWindowCodec.encodedName(sample.metric());
        for (int m = 0; m < metrics; m++) {
            skipName(in); // service
            boolean match = nameIs(in, metricName);
            skipName(in); // unit
            in.get(); // counter
            int countAt = in.position();
            in.getLong();
            int instances = in.getInt();
            if (match) {
                int seriesAt = instanceSeries(in, instances, ServiceWindowCodec.encodedName(sample.instance()));
                return seriesAt < 0 ? -1 : (long) countAt << 32 | seriesAt;
            }
            for (int i = 0; i < instances; i++) {
                skipName(in);
                skipSeries(in);
            }
            skipSketch(in);
        }
        return -1;
    }

    private static int instanceSeries(ByteBuffer in, int instances, byte[] name) {
        for (int i = 0; i < instances; i++) {
            if (nameIs(in, name)) {
                return in.position();
            }
            skipSeries(in);
        }
        return -1;
    }

    private static byte[] patch(byte[] window, int countAt, int seriesAt, Sample sample) {
        ByteBuffer in = ByteBuffer.wrap(window);
        int pointsAt = seriesAt + SERIES_FIXED;
        int points = in.getInt(pointsAt);
        int firstPoint = pointsAt + 4;
        int insertAt = firstPoint + points * POINT;
        while (insertAt > firstPoint && in.getLong(insertAt - POINT) > sample.at()) {
            insertAt -= POINT;
        }
        boolean sameInstant = insertAt > firstPoint && in.getLong(insertAt - POINT) == sample.at();
        boolean grows = sample.counter() && !sameInstant;
        byte[] copy = window;
        if (grows) {
            copy = new byte[window.length + POINT];
            System.arraycopy(window, 0, copy, 0, insertAt);
            System.arraycopy(window, insertAt, copy, insertAt + POINT, window.length - insertAt);
        }
        ByteBuffer out = ByteBuffer.wrap(copy);
        out.putLong(countAt, out.getLong(countAt) + 1);
        if (sample.at() >= out.getLong(seriesAt)) {
            out.putLong(seriesAt, sample.at());
            putDouble(out, seriesAt + 8, sample.value());
            out.put(seriesAt + 16, (byte) (sample.ready() ? 1 : 0));
        }
        putDouble(out, seriesAt + 17, Math.max(out.getDouble(seriesAt + 17), sample.value()));
        if (sample.counter()) {
            int at = sameInstant ? insertAt - POINT : insertAt; // a re-sent reading of the same instant replaces the first
            out.putLong(at, sample.at());
            putDouble(out, at + 8, sample.value());
            if (grows) {
                out.putInt(pointsAt, points + 1);
            }
        }
        return copy;
    }

    /** As the codec writes a double: {@link Double#doubleToLongBits}, one NaN for all. */
    private static void putDouble(ByteBuffer out, int at, double value) {
        out.putLong(at, Double.doubleToLongBits(value));
    }

    private static boolean nameIs(ByteBuffer in, byte[] name) {
        int at = in.position();
        int length = Short.toUnsignedInt(in.getShort(at));
        in.position(at + 2 + length);
        return length + 2 == name.length && Arrays.equals(in.array(), at, at + 2 + length, name, 0, name.length);
    }

    private static void skipName(ByteBuffer in) {
        in.position(in.position() + 2 + Short.toUnsignedInt(in.getShort(in.position())));
    }

    private static void skipSeries(ByteBuffer in) {
        in.position(in.position() + SERIES_FIXED);
        int points = in.getInt();
        in.position(in.position() + points * POINT);
    }

    private static void skipSketch(ByteBuffer in) {
        if (in.get() != 0) {
            in.position(in.position() + 16);
            int bins = in.getInt();
            in.position(in.position() + bins * 12);
        }
    }
}
