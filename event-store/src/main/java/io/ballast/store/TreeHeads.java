package io.ballast.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

import io.ballast.audit.TreeHead;

/** Tree heads as the store keeps them. */
final class TreeHeads {
    private TreeHeads() {
    }

    static byte[] encode(TreeHead h) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(h.storeId());
            out.writeLong(h.size());
            write(out, h.root());
            out.writeLong(h.signedAt().toEpochMilli());
            out.writeUTF(h.keyId());
            write(out, h.publicKey());
            write(out, h.signature());
            // appended last: heads kept before checkpoints existed end here and read back without one
            if (h.checkpoint() != null) {
                out.writeUTF(h.checkpoint());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static TreeHead decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return new TreeHead(in.readUTF(), in.readLong(), read(in), Instant.ofEpochMilli(in.readLong()), in.readUTF(), read(in), read(in),
                    in.available() > 0 ? in.readUTF() : null);
        } catch (IOException e) {
            throw new StoreException("a stored tree head is unreadable: " + e.getMessage(), e);
        }
    }

    private static void write(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] read(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }
}
