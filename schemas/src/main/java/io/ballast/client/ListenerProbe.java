package io.ballast.client;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks a Kafka listener what it expects of a client, to explain a client that cannot get through: one
 * {@code SaslHandshake} request (API key 17, version 1) with a mechanism no broker has. A SASL listener
 * answers UNSUPPORTED_SASL_MECHANISM with its enabled mechanisms; a plaintext one ILLEGAL_SASL_STATE; a TLS
 * listener answers with a TLS record (or hangs up). Nothing is authenticated and nothing is changed.
 */
public final class ListenerProbe {
    private static final short SASL_HANDSHAKE = 17;
    private static final short UNSUPPORTED_SASL_MECHANISM = 33;
    private static final short ILLEGAL_SASL_STATE = 34;
    private static final int TLS_ALERT = 0x15;
    private static final int TLS_HANDSHAKE = 0x16;

    private ListenerProbe() {
    }

    /** What a listener expects. */
    public sealed interface Listener {
    }

    /** No authentication, no TLS. */
    public record Plaintext() implements Listener {
    }

    /** SASL over plaintext, with these mechanisms. */
    public record Sasl(List<String> mechanisms) implements Listener {
    }

    /** TLS (SSL or SASL_SSL: the probe cannot see past the handshake). */
    public record Tls() implements Listener {
    }

    /** Nothing answered, or not as Kafka does. */
    public record Unknown(String reason) implements Listener {
    }

    /** Probes {@code host:port}. */
    public static Listener probe(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.write(request());
            out.flush();
            return response(socket.getInputStream());
        } catch (EOFException e) {
            // a TLS listener that reads our bytes as a malformed handshake may just close
            return new Tls();
        } catch (IOException e) {
            return new Unknown(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static byte[] request() throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        out.writeShort(SASL_HANDSHAKE);
        out.writeShort(1);
        out.writeInt(1); // correlation id
        writeString(out, "ballast-probe");
        writeString(out, "BALLAST-PROBE");
        java.io.ByteArrayOutputStream framed = new java.io.ByteArrayOutputStream();
        DataOutputStream frame = new DataOutputStream(framed);
        frame.writeInt(body.size());
        frame.write(body.toByteArray());
        return framed.toByteArray();
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    private static Listener response(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        int first = in.read();
        if (first < 0) {
            throw new EOFException();
        }
        if (first == TLS_ALERT || first == TLS_HANDSHAKE) {
            return new Tls();
        }
        int size = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        if (size < 6 || size > 1 << 20) {
            return new Unknown("an answer that is not Kafka's (" + size + " bytes announced)");
        }
        in.readInt(); // correlation id
        short error = in.readShort();
        if (error == ILLEGAL_SASL_STATE) {
            return new Plaintext();
        }
        if (error == UNSUPPORTED_SASL_MECHANISM) {
            int count = in.readInt();
            List<String> mechanisms = new ArrayList<>();
            for (int i = 0; i < count && i < 64; i++) {
                byte[] name = new byte[in.readShort()];
                in.readFully(name);
                mechanisms.add(new String(name, StandardCharsets.UTF_8));
            }
            return new Sasl(List.copyOf(mechanisms));
        }
        return new Unknown("SaslHandshake answered with error code " + error);
    }
}
