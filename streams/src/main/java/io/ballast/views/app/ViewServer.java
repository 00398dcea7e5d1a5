package io.ballast.views.app;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ballast.http.ApiToken;
import io.ballast.http.JsonHttp;
import io.ballast.supervise.Failures;
import io.ballast.streams.JsonSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The views over HTTP/JSON: {@code GET /services}, {@code /services/{id}}, {@code /clusters},
 * {@code /clusters/{id}}. A key lives in one instance of the views app; the instance asked finds it with
 * Kafka Streams' metadata and forwards the request there ({@code ?local=true}: answer from this instance's
 * stores only). A list gathers every instance's part. 404 for a key no event named, 503 while the stores
 * rebalance or restore.
 */
public final class ViewServer implements AutoCloseable {
    private final KafkaStreams streams;
    private final HostInfo self;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ApiToken token;

    private ViewServer(KafkaStreams streams, HostInfo self, HttpServer server, ApiToken token) {
        this.token = token;
        this.streams = streams;
        this.self = self;
        this.server = server;
    }

    /** Serves the views of {@code streams}, which runs with {@code application.server} = host:port. */
    public static ViewServer start(KafkaStreams streams, String host, int port) throws IOException {
        return start(streams, host, port, null);
    }

    /** As above; with a token, a request without {@code Authorization: Bearer <token>} gets 401 (and forwards carry it). */
    public static ViewServer start(KafkaStreams streams, String host, int port, ApiToken token) throws IOException {
        HttpServer server = JsonHttp.create(host, port, "ballast-views-http", 4);
        ViewServer views = new ViewServer(streams, new HostInfo(host, server.getAddress().getPort()), server, token);
        server.createContext("/services", exchange -> views.handle(exchange, ViewsTopology.SERVICES, "service"));
        server.createContext("/clusters", exchange -> views.handle(exchange, ViewsTopology.CLUSTERS, "cluster"));
        // without it the JDK's server answers any other path with an HTML 404 and resets a connection that sent a body
        server.createContext("/", views::unknown);
        server.start();
        return views;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    // the exchange is closed in finally, not by try-with-resources: a resource is closed before the catch
    // clauses run, and the 503 and 500 replies need it open
    private void handle(HttpExchange exchange, String store, String what) throws IOException {
        try {
            if (refusedWithoutToken(exchange)) {
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                reply(exchange, 405, error("only GET is served"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String root = exchange.getHttpContext().getPath();
            if (path.length() > root.length() && path.charAt(root.length()) != '/') {
                // the JDK matches contexts by prefix: /servicesX is no view
                reply(exchange, 404, noEndpoint(path));
                return;
            }
            boolean local = "local=true".equals(exchange.getRequestURI().getQuery());
            String rest = path.length() > root.length() ? path.substring(root.length() + 1) : "";
            if (rest.isEmpty()) {
                reply(exchange, 200, JsonSerde.MAPPER.writeValueAsBytes(all(store, root, local)));
            } else {
                // getPath() has decoded the key already: decoding it again would turn '+' into ' ' and refuse a '%'
                one(exchange, store, what, root, rest, local);
            }
        } catch (InvalidStateStoreException e) {
            reply(exchange, 503, error("the views are rebalancing or restoring (" + e.getMessage() + "); retry shortly"));
        } catch (RuntimeException e) {
            reply(exchange, 500, error("the views could not answer: " + Failures.describe(e)));
        } finally {
            exchange.close();
        }
    }

    /** Answers 401 and returns true when the API has a token and the request does not carry it. */
    private boolean refusedWithoutToken(HttpExchange exchange) throws IOException {
        if (token == null || token.admits(exchange)) {
            return false;
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        reply(exchange, 401, error("the views' API asks for its token: send 'Authorization: Bearer <token>' "
                + "(the token is in <data-dir>/" + ApiToken.FILE + "; the CLI reads it by itself)"));
        return true;
    }

    /** Any path but the views': 404 with what is served (after the token, as every other request). */
    private void unknown(HttpExchange exchange) throws IOException {
        try {
            if (refusedWithoutToken(exchange)) {
                return;
            }
            reply(exchange, 404, noEndpoint(exchange.getRequestURI().getPath()));
        } finally {
            exchange.close();
        }
    }

    private static byte[] noEndpoint(String path) throws IOException {
        return error("no such endpoint: " + path + " (the views serve GET /services, /services/<service>, /clusters, "
                + "/clusters/<cluster>)");
    }

    private void one(HttpExchange exchange, String store, String what, String root, String key, boolean local) throws IOException {
        if (!local) {
            KeyQueryMetadata where = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
            if (where == null || where == KeyQueryMetadata.NOT_AVAILABLE) {
                reply(exchange, 503, error("no instance of the views holds " + what + " '" + key + "' yet; retry shortly"));
                return;
            }
            if (!where.activeHost().equals(self)) {
                // percent-encoded as a path segment (URLEncoder's '+' for a space is a '+' in a path)
                forward(exchange, where.activeHost(), root + "/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20"));
                return;
            }
        }
        Object view = localStore(store).get(key);
        if (view == null) {
            reply(exchange, 404, error("no " + what + " '" + key + "' in the views: no event has named it yet"));
        } else {
            reply(exchange, 200, JsonSerde.MAPPER.writeValueAsBytes(view));
        }
    }

    private Map<String, JsonNode> all(String store, String root, boolean local) throws IOException {
        Map<String, JsonNode> views = new TreeMap<>();
        try (KeyValueIterator<String, Object> it = localStore(store).all()) {
            it.forEachRemaining(kv -> views.put(kv.key, JsonSerde.MAPPER.valueToTree(kv.value)));
        }
        if (!local) {
            for (StreamsMetadata instance : streams.streamsMetadataForStore(store)) {
                if (!instance.hostInfo().equals(self)) {
                    JsonNode theirs = JsonSerde.MAPPER.readTree(get(instance.hostInfo(), root + "?local=true").body());
                    theirs.fields().forEachRemaining(e -> views.put(e.getKey(), e.getValue()));
                }
            }
        }
        return views;
    }

    private ReadOnlyKeyValueStore<String, Object> localStore(String store) {
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, Object>keyValueStore()));
    }

    private void forward(HttpExchange exchange, HostInfo host, String path) throws IOException {
        HttpResponse<byte[]> response;
        try {
            response = get(host, path + "?local=true");
        } catch (IOException e) {
            // an escaping exception would make the JDK's server drop the connection without an answer
            reply(exchange, 503, error("the instance of the views at " + host.host() + ":" + host.port() + " that holds it did not answer ("
                    + Failures.describe(e) + "); retry shortly"));
            return;
        }
        reply(exchange, response.statusCode(), response.body());
    }

    private HttpResponse<byte[]> get(HostInfo host, String pathAndQuery) throws IOException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                    .timeout(Duration.ofSeconds(5)).GET();
            if (token != null) {
                request.header("Authorization", token.header());
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + host, e);
        }
    }

    private static byte[] error(String message) {
        ObjectNode body = JsonSerde.MAPPER.createObjectNode().put("error", message);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        JsonHttp.reply(exchange, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
