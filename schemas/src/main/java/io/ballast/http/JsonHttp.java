package io.ballast.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** The small JSON-over-HTTP servers of Ballast (the views, the event store): the JDK's server, daemon worker threads. */
public final class JsonHttp {
    private JsonHttp() {
    }

    /** A server bound to host:port (0: any free port), not started: add the handlers, then {@link HttpServer#start()}. */
    public static HttpServer create(String host, int port, String threadName, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        }));
        return server;
    }

    /** Sends a JSON body with its status; the caller closes the exchange (in finally: an error reply needs it open). */
    public static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        reply(exchange, status, body, "application/json");
    }

    /** Sends a body of {@code contentType} with its status; the caller closes the exchange. */
    public static void reply(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equals("HEAD")) {
            // a HEAD answer has no body: -1 says so (a length would make the JDK's server warn and wait for it)
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
