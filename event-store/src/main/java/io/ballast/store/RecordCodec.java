package io.ballast.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The bytes of a record in the global log: a CRC32C of the body, then the body (format version, position,
 * stream, version, event id, type, times, origin, headers, data). The body is also the Merkle leaf, so
 * the audit log commits to everything a record says, its position included.
 */
final class RecordCodec {
    private static final byte FORMAT = 1;

    private RecordCodec() {
    }

    static byte[] body(StoredEvent e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(e.data().length + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(e.position());
            out.writeUTF(e.stream());
            out.writeLong(e.version());
            out.writeLong(e.eventId().getMostSignificantBits());
            out.writeLong(e.eventId().getLeastSignificantBits());
            out.writeUTF(e.type());
            out.writeLong(e.occurredAt().toEpochMilli());
            out.writeLong(e.recordedAt().toEpochMilli());
            out.writeBoolean(e.origin() != null);
            if (e.origin() != null) {
                out.writeUTF(e.origin().topic());
                out.writeInt(e.origin().partition());
                out.writeLong(e.origin().offset());
            }
            out.writeInt(e.headers().size());
            for (Map.Entry<String, byte[]> h : e.headers().entrySet()) {
                out.writeUTF(h.getKey());
                out.writeInt(h.getValue().length);
                out.write(h.getValue());
            }
            out.writeInt(e.data().length);
            out.write(e.data());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /** The stored value: checksum then body. */
    static byte[] record(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(4 + body.length).putInt((int) crc.getValue()).put(body).array();
    }

    /** The body of a stored value, after checking its checksum and that it is the record of {@code position}. */
    static byte[] checkedBody(long position, byte[] value) {
        if (value.length < 5) {
            throw new CorruptRecordException(position, "only " + value.length + " bytes");
        }
        byte[] body = Arrays.copyOfRange(value, 4, value.length);
        CRC32C crc = new CRC32C();
        crc.update(body);
        int stored = ByteBuffer.wrap(value, 0, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new CorruptRecordException(position, String.format("checksum %08x, computed %08x", stored, (int) crc.getValue()));
        }
        return body;
    }

    /**
     * The type a stored value says it is, read without decoding the rest or checking its checksum (the reader that decodes
     * it checks that): for filtering a scan by type.
     */
    static String type(long position, byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        try {
            in.position(4 + 1 + 8);
            int stream = Short.toUnsignedInt(in.getShort());
            in.position(in.position() + stream + 8 + 16);
            int length = Short.toUnsignedInt(in.getShort());
            return new String(value, in.position(), length, java.nio.charset.StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            throw new CorruptRecordException(position, "the record ends before its type");
        }
    }

    static StoredEvent decode(long position, byte[] value) {
        byte[] body = checkedBody(position, value);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new CorruptRecordException(position, "unknown record format " + format);
            }
            long at = in.readLong();
            if (at != position) {
                throw new CorruptRecordException(position, "it says it is the record of position " + at);
            }
            String stream = in.readUTF();
            long version = in.readLong();
            UUID id = new UUID(in.readLong(), in.readLong());
            String type = in.readUTF();
            Instant occurred = Instant.ofEpochMilli(in.readLong());
            Instant recorded = Instant.ofEpochMilli(in.readLong());
            Origin origin = in.readBoolean() ? new Origin(in.readUTF(), in.readInt(), in.readLong()) : null;
            int headerCount = in.readInt();
            Map<String, byte[]> headers = new TreeMap<>();
            for (int i = 0; i < headerCount; i++) {
                String key = in.readUTF();
                byte[] v = new byte[in.readInt()];
                in.readFully(v);
                headers.put(key, v);
            }
            byte[] data = new byte[in.readInt()];
            in.readFully(data);
            return new StoredEvent(position, stream, version, id, type, occurred, recorded, data, headers, origin);
        } catch (IOException e) {
            throw new CorruptRecordException(position, "the record ends early");
        }
    }
}
