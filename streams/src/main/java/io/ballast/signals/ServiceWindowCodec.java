package io.ballast.signals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compact binary form of a {@link ServiceWindow}. The window store reads and writes the whole aggregate
 * on every sample, so its format decides the app's throughput: this one is several times faster than
 * JSON. It starts with a version byte, so a later format can still read this one. The layout is that of
 * {@link DataOutputStream} (big-endian numbers, strings in modified UTF-8 after a two-byte length), written and
 * read on plain arrays: the streams' per-byte locking and copying were most of the app's time.
 */
public final class ServiceWindowCodec {
    private static final byte VERSION = 1;

    private ServiceWindowCodec() {
    }

    public static byte[] write(ServiceWindow window) {
        Out out = new Out(256);
        out.writeByte(VERSION);
        out.writeInt(window.metrics().size());
        for (MetricWindow m : window.metrics().values()) {
            writeMetric(out, m);
        }
        return out.toByteArray();
    }

    private static void writeMetric(Out out, MetricWindow m) {
        out.writeUTF(m.service());
        out.writeUTF(m.metric());
        out.writeUTF(m.unit());
        out.writeBoolean(m.counter());
        out.writeLong(m.count());
        out.writeInt(m.instances().size());
        for (Map.Entry<String, InstanceSeries> e : m.instances().entrySet()) {
            InstanceSeries s = e.getValue();
            out.writeUTF(e.getKey());
            out.writeLong(s.latestAt());
            out.writeDouble(s.latest());
            out.writeBoolean(s.ready());
            out.writeDouble(s.max());
            out.writeInt(s.points().size());
            for (Point p : s.points()) {
                out.writeLong(p.at());
                out.writeDouble(p.value());
            }
        }
        QuantileSketch sketch = m.sketch();
        out.writeBoolean(sketch != null);
        if (sketch != null) {
            out.writeLong(sketch.zeros());
            out.writeLong(sketch.count());
            out.writeInt(sketch.bins().size());
            for (Map.Entry<Integer, Long> bin : sketch.bins().entrySet()) {
                out.writeInt(bin.getKey());
                out.writeLong(bin.getValue());
            }
        }
    }

    /** A name as the format holds it: two bytes of length, then modified UTF-8. */
    static byte[] encodedName(String name) {
        Out out = new Out(name.length() + 2);
        out.writeUTF(name);
        return out.toByteArray();
    }

    /** The format's version byte; {@link WindowBytes} checks it before patching. */
    static byte version() {
        return VERSION;
    }

    public static ServiceWindow read(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("window state of format version " + version + "; this build reads " + VERSION);
            }
            int metrics = in.getInt();
            TreeMap<String, MetricWindow> windows = new TreeMap<>();
            for (int i = 0; i < metrics; i++) {
                MetricWindow m = readMetric(in);
                windows.put(m.metric(), m);
            }
            return new ServiceWindow(windows);
        } catch (BufferUnderflowException e) {
            throw new UncheckedIOException("window state is cut short", new IOException(e));
        }
    }

    private static MetricWindow readMetric(ByteBuffer in) {
        String service = readUTF(in);
        String metric = readUTF(in);
        String unit = readUTF(in);
        boolean counter = in.get() != 0;
        long count = in.getLong();
        int instances = in.getInt();
        TreeMap<String, InstanceSeries> series = new TreeMap<>();
        for (int i = 0; i < instances; i++) {
            String name = readUTF(in);
            long latestAt = in.getLong();
            double latest = in.getDouble();
            boolean ready = in.get() != 0;
            double max = in.getDouble();
            int n = in.getInt();
            List<Point> points = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                points.add(new Point(in.getLong(), in.getDouble()));
            }
            series.put(name, new InstanceSeries(latestAt, latest, ready, max, points));
        }
        QuantileSketch sketch = null;
        if (in.get() != 0) {
            long zeros = in.getLong();
            long total = in.getLong();
            int bins = in.getInt();
            TreeMap<Integer, Long> map = new TreeMap<>();
            for (int b = 0; b < bins; b++) {
                map.put(in.getInt(), in.getLong());
            }
            sketch = new QuantileSketch(map, zeros, total);
        }
        return new MetricWindow(service, metric, unit, counter, count, series, sketch);
    }

    /** {@link DataInputStream#readUTF}: plain ASCII (the usual names) decoded directly, anything else as Java does. */
    private static String readUTF(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        byte[] array = in.array();
        int from = in.arrayOffset() + in.position();
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        in.position(in.position() + length);
        for (int i = from; i < from + length; i++) {
            if (array[i] <= 0) {
                return modifiedUtf8(array, from - 2, length + 2);
            }
        }
        return new String(array, from, length, StandardCharsets.ISO_8859_1);
    }

    private static String modifiedUtf8(byte[] array, int from, int length) {
        try {
            return new DataInputStream(new ByteArrayInputStream(array, from, length)).readUTF();
        } catch (IOException e) {
            throw new UncheckedIOException("window state has a malformed name", e);
        }
    }

    /** A growable big-endian output with {@link DataOutputStream}'s layout. */
    private static final class Out {
        private byte[] bytes;
        private int size;

        Out(int capacity) {
            bytes = new byte[capacity];
        }

        private void reserve(int n) {
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
            }
        }

        void writeByte(int b) {
            reserve(1);
            bytes[size++] = (byte) b;
        }

        void writeBoolean(boolean b) {
            writeByte(b ? 1 : 0);
        }

        void writeInt(int v) {
            reserve(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (v >>> shift);
            }
        }

        void writeLong(long v) {
            reserve(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (v >>> shift);
            }
        }

        void writeDouble(double v) {
            writeLong(Double.doubleToLongBits(v));
        }

        void writeUTF(String s) {
            int n = s.length();
            boolean ascii = n <= 0xFFFF;
            for (int i = 0; ascii && i < n; i++) {
                char c = s.charAt(i);
                ascii = c > 0 && c < 0x80;
            }
            if (!ascii) {
                writeModifiedUtf8(s);
                return;
            }
            reserve(2 + n);
            bytes[size++] = (byte) (n >>> 8);
            bytes[size++] = (byte) n;
            for (int i = 0; i < n; i++) {
                bytes[size++] = (byte) s.charAt(i);
            }
        }

        private void writeModifiedUtf8(String s) {
            ByteArrayOutputStream encoded = new ByteArrayOutputStream(s.length() + 8);
            try (DataOutputStream out = new DataOutputStream(encoded)) {
                out.writeUTF(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] b = encoded.toByteArray();
            reserve(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
