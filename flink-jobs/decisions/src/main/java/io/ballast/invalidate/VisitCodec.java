package io.ballast.invalidate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a {@link Visit} on the invalidator's internal feedback topic: a format version, then the
 * fields. Internal to the job (never archived, never read by anyone else), so no registry schema.
 */
public final class VisitCodec {
    private static final byte FORMAT = 1;

    private VisitCodec() {
    }

    public static byte[] encode(Visit visit) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            write(visit, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The fields of a visit, in order: node id, entity, version, event time, the change ids. Also the visit's form
     * between the invalidator's operators, where no format byte precedes it.
     */
    public static void write(Visit visit, DataOutput out) throws IOException {
        out.writeUTF(visit.node().id());
        out.writeUTF(visit.entity());
        out.writeLong(visit.version());
        out.writeLong(visit.occurredAt());
        out.writeInt(visit.changeIds().size());
        for (String id : visit.changeIds()) {
            out.writeUTF(id);
        }
    }

    /** The visit {@link #write} wrote; at most {@code maxIds} change ids (a bound on what a bad count allocates). */
    public static Visit read(DataInput in, int maxIds) throws IOException {
        Node node = Node.parse(in.readUTF());
        String entity = in.readUTF();
        long version = in.readLong();
        long occurredAt = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > maxIds) {
            throw new IllegalArgumentException("bad change id count " + n);
        }
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(in.readUTF());
        }
        return new Visit(node, entity, version, occurredAt, ids);
    }

    /** The visit in {@code bytes}; refused with what is wrong when they are not one. */
    public static Visit decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown visit format " + format + " (expected " + FORMAT + ")");
            }
            return read(in, bytes.length);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated visit: " + e, e);
        }
    }
}
