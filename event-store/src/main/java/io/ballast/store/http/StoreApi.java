package io.ballast.store.http;

import io.ballast.client.KafkaClients;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ballast.audit.Checkpoint;
import io.ballast.audit.NoteKey;
import io.ballast.audit.ProofDocuments;
import io.ballast.audit.SigningKey;
import io.ballast.audit.TreeHead;
import io.ballast.catalog.TopicSpec;
import io.ballast.http.ApiToken;
import io.ballast.http.JsonHttp;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.json.EnvelopeDefaults;
import io.ballast.json.InvalidEventException;
import io.ballast.json.JsonEvents;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryReach;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.EventSerializer;
import io.ballast.store.AppendResult;
import io.ballast.store.CorruptRecordException;
import io.ballast.store.EventStore;
import io.ballast.store.RecordStream;
import io.ballast.store.ExpectedVersion;
import io.ballast.store.InvalidAppendException;
import io.ballast.store.NewEvent;
import io.ballast.store.StoreAudit;
import io.ballast.store.StoreFullException;
import io.ballast.store.StoreOverloadedException;
import io.ballast.store.replay.ReplayFailedException;
import io.ballast.supervise.Failures;
import io.ballast.supervise.LoopStatus;
import io.ballast.store.StoreProofs;
import io.ballast.store.StoredEvent;
import io.ballast.store.StreamMetadata;
import io.ballast.store.WrongExpectedVersionException;
import io.ballast.store.replay.ReplayRequest;
import io.ballast.store.replay.Replayer;
import org.apache.avro.generic.GenericRecord;

/**
 * The store over HTTP/JSON. Appends: {@code POST /streams/{stream}} with {@code expectedVersion} and
 * {@code events}; an event of a stream {@code <catalog topic>/<key>} is the topic's event as JSON (as
 * {@code ballast produce} takes it, envelope completed), stored in the wire format and published by the
 * outbox; other streams take any JSON with a {@code type}. Reads: {@code /streams/{stream}}, {@code /all},
 * {@code /types/{type}}, {@code /time}, {@code /time/records} (a record stream). Audit: {@code /proofs/inclusion/{eventId}},
 * {@code /proofs/consistency?from=&to=}, {@code /tree-heads}, {@code /audit/verify}. {@code POST /replay}.
 */
public final class StoreApi implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StoreApi.class);
    private final EventStore store;
    private final SigningKey key;
    private final RegistryClient registry;
    private final KafkaClients clients;
    private final HttpServer server;
    private final EventDecoder<GenericRecord> decoder;
    private final EventSerializer<GenericRecord> serializer;
    private final EnvelopeDefaults defaults = new EnvelopeDefaults("ballast-store-api", Clock.systemUTC(), UUID::randomUUID);

    /** The largest request body taken: an append of events up to the store's 1 MiB each, as JSON. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    /** The most events one read returns. */
    static final int MAX_PAGE = 10_000;
    private final Supplier<List<LoopStatus>> loops;
    private final ApiToken token;
    private final boolean replayToAnyTopic;

    private StoreApi(EventStore store, SigningKey key, RegistryClient registry, KafkaClients clients, HttpServer server,
                     Supplier<List<LoopStatus>> loops, ApiToken token, boolean replayToAnyTopic) {
        this.loops = loops;
        this.token = token;
        this.replayToAnyTopic = replayToAnyTopic;
        this.store = store;
        this.key = key;
        this.registry = registry;
        this.clients = clients;
        this.server = server;
        this.decoder = EventDecoder.generic(registry);
        this.serializer = new EventSerializer<>(registry);
    }

    public static StoreApi start(EventStore store, SigningKey key, RegistryClient registry, KafkaClients clients, String host, int port)
            throws IOException {
        return start(store, key, registry, clients, host, port, List::of, null, false);
    }

    /**
     * @param loops            the states of the store's background loops, for {@code GET /status}
     * @param token            with a token, a request without {@code Authorization: Bearer <token>} gets 401
     * @param replayToAnyTopic whether replays may write outside {@code ballast.replay.*}
     */
    public static StoreApi start(EventStore store, SigningKey key, RegistryClient registry, KafkaClients clients, String host, int port,
                                 Supplier<List<LoopStatus>> loops, ApiToken token, boolean replayToAnyTopic) throws IOException {
        HttpServer server = JsonHttp.create(host, port, "ballast-store-http", 8);
        StoreApi api = new StoreApi(store, key, registry, clients, server, loops, token, replayToAnyTopic);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    // the exchange is closed in finally, not by try-with-resources: a resource is closed before the catch
    // clauses run, and an error reply needs it open
    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (token != null && !token.admits(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                reply(exchange, 401, EventJson.MAPPER.writeValueAsBytes(error("the store's API asks for its token: send 'Authorization: "
                        + "Bearer <token>' (the token is in <data-dir>/" + ApiToken.FILE + "; the CLI reads it by itself)")));
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
            String method = exchange.getRequestMethod();
            JsonNode answer;
            int status = 200;
            if (method.equals("POST") && path.startsWith("/streams/") && path.endsWith("/metadata")) {
                String stream = decode(path.substring("/streams/".length(), path.length() - "/metadata".length()));
                JsonNode body = body(exchange);
                store.setMetadata(stream, new StreamMetadata(body.hasNonNull("maxAge") ? java.time.Duration.parse(body.get("maxAge").asText())
                        : null, body.path("maxCount").asLong(0)));
                StreamMetadata kept = store.metadata(stream);
                answer = EventJson.MAPPER.createObjectNode().put("stream", stream)
                        .put("maxAge", kept.maxAge() == null ? null : kept.maxAge().toString()).put("maxCount", kept.maxCount());
            } else if (method.equals("POST") && path.startsWith("/streams/")) {
                answer = append(decode(path.substring("/streams/".length())), body(exchange));
                status = 201;
            } else if (method.equals("GET") && path.startsWith("/streams/")) {
                answer = events(store.readStream(decode(path.substring("/streams/".length())), num(q, "from", 0),
                        !"backward".equals(q.get("direction")), max(q)));
            } else if (method.equals("GET") && path.equals("/all")) {
                answer = events(store.readAll(num(q, "from", 0), max(q)));
            } else if (method.equals("GET") && path.startsWith("/types/")) {
                answer = events(store.readType(decode(path.substring("/types/".length())), num(q, "from", 0), max(q)));
            } else if (method.equals("GET") && path.equals("/time/records")) {
                streamTime(exchange, q);
                return;
            } else if (method.equals("GET") && path.equals("/time")) {
                answer = events(store.readTime(instant(q, "from"), num(q, "position", 0), instant(q, "to"), max(q)));
            } else if (method.equals("GET") && path.startsWith("/proofs/inclusion/")) {
                answer = StoreProofs.inclusion(store, key, UUID.fromString(path.substring("/proofs/inclusion/".length())));
            } else if (method.equals("GET") && path.equals("/proofs/consistency")) {
                answer = StoreProofs.consistency(store, key, num(q, "from", -1), num(q, "to", store.size()));
            } else if (method.equals("GET") && path.equals("/checkpoint")) {
                // the C2SP form, as transparency logs serve it: text, not JSON
                JsonHttp.reply(exchange, 200, StoreProofs.checkpoint(store, key).getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
                return;
            } else if (method.equals("GET") && path.equals("/checkpoint/key")) {
                String verifierKey = NoteKey.of(Checkpoint.originOf(store.storeId()), key.publicKey())
                        .verifierKey();
                JsonHttp.reply(exchange, 200, (verifierKey + "\n").getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
                return;
            } else if (path.equals("/tree-heads")) {
                answer = method.equals("POST") ? ProofDocuments.treeHead(store.signTreeHead(key)) : treeHeads();
            } else if (method.equals("GET") && path.equals("/audit/verify")) {
                answer = EventJson.MAPPER.valueToTree(StoreAudit.verify(store, key.publicKey()));
            } else if (method.equals("POST") && path.equals("/replay")) {
                answer = replay(body(exchange));
            } else if (method.equals("GET") && path.equals("/status")) {
                answer = status();
            } else {
                reply(exchange, 404, EventJson.MAPPER.writeValueAsBytes(error("no such endpoint: " + method + " " + path)));
                return;
            }
            reply(exchange, status, EventJson.MAPPER.writeValueAsBytes(answer));
        } catch (WrongExpectedVersionException e) {
            ObjectNode body = error(e.getMessage()).put("stream", e.stream()).put("expected", e.expected().toString()).put("actual", e.actual());
            reply(exchange, 409, EventJson.MAPPER.writeValueAsBytes(body));
        } catch (InvalidAppendException | InvalidEventException | IllegalArgumentException | java.time.DateTimeException e) {
            reply(exchange, 400, EventJson.MAPPER.writeValueAsBytes(error(e.getMessage())));
        } catch (StoreOverloadedException e) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            reply(exchange, 503, EventJson.MAPPER.writeValueAsBytes(error(e.getMessage())));
        } catch (StoreFullException e) {
            reply(exchange, 507, EventJson.MAPPER.writeValueAsBytes(error(e.getMessage())));
        } catch (ReplayFailedException e) {
            reply(exchange, 502, EventJson.MAPPER.writeValueAsBytes(error(e.getMessage()).put("replayId", e.replayId())
                    .put("published", e.acknowledged()).put("sent", e.sent())));
        } catch (RequestTooLargeException e) {
            reply(exchange, 413, EventJson.MAPPER.writeValueAsBytes(error(e.getMessage())));
        } catch (CorruptRecordException e) {
            reply(exchange, 500, EventJson.MAPPER.writeValueAsBytes(error(e.getMessage()).put("position", e.position())));
        } catch (RuntimeException e) {
            LOG.error("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            reply(exchange, 500, EventJson.MAPPER.writeValueAsBytes(error("the store could not answer: " + Failures.describe(e)
                    + " (details in the store's log)")));
        } finally {
            exchange.close();
        }
    }

    /**
     * {@code GET /time/records?from=&to=[&below=N][&types=A,B]}: the events of an event-time range as a
     * {@link RecordStream}, the records as stored (an audit decodes and checks them), only positions below {@code below}
     * (default: the size now) so that a tree head of that size covers every one. Once the stream has begun an error can
     * only cut it: the reader sees no end mark and says so.
     */
    private void streamTime(HttpExchange exchange, Map<String, String> q) throws IOException {
        Instant from = instant(q, "from");
        Instant to = instant(q, "to");
        long below = num(q, "below", store.size());
        Set<String> types = q.containsKey("types") && !q.get("types").isBlank() ? Set.of(q.get("types").split(",")) : Set.of();
        exchange.getResponseHeaders().set("Content-Type", RecordStream.MEDIA_TYPE);
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            store.streamTime(from, to, below, types, new RecordStream.Writer(body));
        } catch (IOException | RuntimeException e) {
            LOG.warn("the record stream of {} was cut: {}", exchange.getRequestURI(), Failures.describe(e));
        }
    }

    /** The store's state without its paths: size, ids, the committer, the registry's reachability and every background loop. */
    private JsonNode status() {
        ObjectNode status = EventJson.MAPPER.createObjectNode().put("storeId", store.storeId()).put("events", store.size())
                .put("keyId", key.keyId());
        status.set("committer", EventJson.MAPPER.valueToTree(store.committerStatus()));
        // the ingest and the API decode from cached schemas while the registry is away: say whether it is
        RegistryReach reach = registry.reachability();
        status.putObject("registry").put("reachable", reach.reachable()).put("checkedAt", reach.checkedAt().toString())
                .put("error", reach.error());
        ArrayNode array = status.putArray("loops");
        for (LoopStatus loop : loops.get()) {
            array.add(EventJson.MAPPER.createObjectNode().put("name", loop.name()).put("state", loop.state().name())
                    .put("restarts", loop.restarts()).put("lastFailure", loop.lastFailure())
                    .put("lastFailureAt", loop.lastFailureAt() == null ? null : loop.lastFailureAt().toString())
                    .put("restartAt", loop.restartAt() == null ? null : loop.restartAt().toString()));
        }
        return status;
    }

    private JsonNode append(String stream, JsonNode body) {
        ExpectedVersion expected = body.has("expectedVersion") ? ExpectedVersion.parse(body.get("expectedVersion").asText())
                : ExpectedVersion.ANY;
        JsonNode events = body.path("events");
        if (!events.isArray() || events.isEmpty()) {
            throw new IllegalArgumentException("'events' must be a non-empty array of events");
        }
        Optional<TopicSpec> topic = topicOf(stream);
        List<NewEvent> toAppend = new ArrayList<>();
        for (JsonNode e : events) {
            toAppend.add(topic.isPresent() ? encoded(topic.get(), stream, e) : plain(e));
        }
        AppendResult result = store.append(stream, expected, toAppend);
        return EventJson.MAPPER.valueToTree(result);
    }

    private NewEvent encoded(TopicSpec topic, String stream, JsonNode e) {
        if (!e.isObject()) {
            throw new IllegalArgumentException("an event of " + topic.name() + " is a JSON object");
        }
        JsonEvents.Encoded encoded = JsonEvents.encode(topic, ((ObjectNode) e).deepCopy(), defaults, serializer);
        if (!stream.equals(topic.name() + "/" + encoded.subject())) {
            throw new IllegalArgumentException("the event's subject is '" + encoded.subject() + "', so its stream is '" + topic.name() + "/"
                    + encoded.subject() + "', not '" + stream + "'");
        }
        return new NewEvent(encoded.eventId(), encoded.type(), encoded.occurredAt(), encoded.value(), Map.of(), null);
    }

    private static NewEvent plain(JsonNode e) {
        if (!e.hasNonNull("type")) {
            throw new IllegalArgumentException("an event needs a 'type'");
        }
        UUID id = e.hasNonNull("eventId") ? UUID.fromString(e.get("eventId").asText()) : UUID.randomUUID();
        Instant at = e.hasNonNull("occurredAt") ? Instant.parse(e.get("occurredAt").asText()) : Instant.now();
        byte[] data = e.path("data").toString().getBytes(StandardCharsets.UTF_8);
        return new NewEvent(id, e.get("type").asText(), at, data, Map.of(), null);
    }

    private static Optional<TopicSpec> topicOf(String stream) {
        int slash = stream.indexOf('/');
        return slash <= 0 ? Optional.empty() : Topics.find(stream.substring(0, slash)).filter(t -> t.value() instanceof ValueFormat.Avro);
    }

    private JsonNode replay(JsonNode body) {
        Set<String> types = new java.util.HashSet<>();
        if (body.hasNonNull("type")) {
            types.add(body.get("type").asText());
        }
        body.path("types").forEach(t -> types.add(t.asText()));
        ReplayRequest request = new ReplayRequest(Instant.parse(body.path("from").asText()), Instant.parse(body.path("to").asText()),
                types, body.hasNonNull("subject") ? body.get("subject").asText() : null, body.path("toTopic").asText(null),
                body.path("rate").asDouble(0), body.path("below").asLong(Long.MAX_VALUE));
        request.requireAllowedTarget(replayToAnyTopic);
        Replayer.Result result = Replayer.replay(store, request, clients);
        return EventJson.MAPPER.createObjectNode().put("replayId", result.replayId()).put("published", result.published())
                .put("scanned", result.scanned()).put("seconds", result.seconds()).put("perSecond", result.perSecond());
    }

    private ArrayNode events(List<StoredEvent> events) {
        ArrayNode array = EventJson.MAPPER.createArrayNode();
        events.forEach(e -> array.add(EventJson.of(e, decoder)));
        return array;
    }

    private ArrayNode treeHeads() {
        ArrayNode array = EventJson.MAPPER.createArrayNode();
        for (TreeHead h : store.treeHeads()) {
            array.add(ProofDocuments.treeHead(h));
        }
        return array;
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        {
            InputStream in = exchange.getRequestBody();
            // read at most one byte past the limit: a larger body is refused without being held in memory
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new RequestTooLargeException("the request body is over " + MAX_BODY_BYTES + " bytes: append fewer events at a time");
            }
            try {
                return EventJson.MAPPER.readTree(bytes);
            } catch (IOException e) {
                throw new IllegalArgumentException("the request body is not JSON: " + e.getMessage());
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
        return q;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static long num(Map<String, String> q, String name, long fallback) {
        String v = q.get(name);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + name + "' must be a whole number, not '" + v + "'");
        }
    }

    /** The page size asked for: 1 to {@value #MAX_PAGE}, 100 if not given. */
    private static int max(Map<String, String> q) {
        long max = num(q, "max", 100);
        if (max < 1 || max > MAX_PAGE) {
            throw new IllegalArgumentException("'max' must be 1 to " + MAX_PAGE + ", not " + max + ": page with 'from'");
        }
        return (int) max;
    }

    /** A request body over {@link #MAX_BODY_BYTES}. */
    private static final class RequestTooLargeException extends RuntimeException {
        RequestTooLargeException(String message) {
            super(message);
        }
    }

    private static Instant instant(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null) {
            throw new IllegalArgumentException("'" + name + "' is required (an ISO instant, e.g. 2026-01-01T00:00:00Z)");
        }
        return Instant.parse(v);
    }

    private static ObjectNode error(String message) {
        return EventJson.MAPPER.createObjectNode().put("error", message);
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        JsonHttp.reply(exchange, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    RegistryClient registry() {
        return registry;
    }
}
