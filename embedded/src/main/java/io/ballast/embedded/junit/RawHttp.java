package io.ballast.embedded.junit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request over a raw socket, as a hostile client sends it: Java's HTTP client will not send a
 * malformed URI or method, and the fuzzers of the HTTP APIs must. Spaces in the target are sent as {@code %20}.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** The status and body of one answer. */
    public record Answer(int status, String body) {
        /** Whether the JDK's HTTP server itself refused the request line (an HTML page, before any handler ran). */
        public boolean refusedByTheServer() {
            return (status == 400 || status == 404) && body.startsWith("<h1>");
        }
    }

    /** Sends {@code method target} with {@code headers} (each "Name: value") and {@code body} (or none) and reads the answer. */
    public static Answer send(int port, String method, String target, String body, String... headers) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(target.replace(" ", "%20"))
                .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int bodyStart = response.indexOf("\r\n\r\n");
            return new Answer(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4));
        }
    }
}
