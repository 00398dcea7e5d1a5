package io.ballast.store.http;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.ballast.audit.SigningKey;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.registry.RegistryClient;
import io.ballast.client.KafkaClients;
import io.ballast.store.EventStore;
import io.ballast.store.StoreSettings;
import io.ballast.store.kafka.AnchorPublisher;
import io.ballast.store.kafka.KafkaIngest;
import io.ballast.store.kafka.Outbox;
import io.ballast.http.ApiToken;
import io.ballast.supervise.Backoff;
import io.ballast.supervise.LoopStatus;

/**
 * The store as {@code ballast up} and {@code ballast store serve} run it: the RocksDB store in
 * {@code <dir>/store}, its signing key in {@code <dir>/keys}, ingest of every ballast.* topic, the outbox,
 * tree heads every {@code anchorEvents} events or {@code anchorInterval}, and the HTTP API.
 */
public final class StoreService implements AutoCloseable {
    private final EventStore store;
    private final KafkaIngest ingest;
    private final Outbox outbox;
    private final AnchorPublisher anchors;
    private final StoreApi api;

    private StoreService(EventStore store, KafkaIngest ingest, Outbox outbox, AnchorPublisher anchors, StoreApi api) {
        this.store = store;
        this.ingest = ingest;
        this.outbox = outbox;
        this.anchors = anchors;
        this.api = api;
    }

    public static StoreService start(Path dir, KafkaClients clients, String host, int port, long anchorEvents,
                                     Duration anchorInterval) throws IOException {
        return start(dir, clients, host, port, anchorEvents, anchorInterval, Options.OPEN, status -> { });
    }

    /**
     * @param onFailure told whenever one of the store's background loops (ingest, outbox, anchors) fails; each is
     *                  restarted with backoff, and {@link #loops()} and {@code GET /status} show their state
     */
    public static StoreService start(Path dir, KafkaClients clients, String host, int port, long anchorEvents,
                                     Duration anchorInterval, Options options, Consumer<LoopStatus> onFailure) throws IOException {
        StoreSettings settings = options.settings();
        // refuse to start (naming the listener and the setting) rather than archive nothing, silently
        clients.requireReachable(Duration.ofSeconds(30));
        EventStore store = EventStore.open(dir.resolve("store"), settings);
        try {
            SigningKey key = SigningKey.loadOrCreate(dir.resolve("keys"));
            RegistryClient registry = clients.registry();
            KafkaIngest ingest = new KafkaIngest(store, clients, registry, Backoff.DEFAULT, onFailure).start();
            Outbox outbox = new Outbox(store, clients, Topics.all().stream().map(TopicSpec::name).collect(Collectors.toSet()),
                    Backoff.DEFAULT, onFailure).start();
            AnchorPublisher anchors = new AnchorPublisher(store, key, anchorEvents, anchorInterval, clients, registry,
                    Topics.AUDIT_ANCHORS.name(), Clock.systemUTC(), Backoff.DEFAULT, onFailure).start();
            StoreApi api = StoreApi.start(store, key, registry, clients, host, port,
                    () -> List.of(ingest.status(), outbox.status(), anchors.status()), options.token(), options.replayToAnyTopic());
            return new StoreService(store, ingest, outbox, anchors, api);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * @param token            the API's bearer token; {@code null} (no token asked) only where nothing but the caller reaches the port
     * @param replayToAnyTopic whether replays may write outside {@code ballast.replay.*}
     */
    public record Options(StoreSettings settings, ApiToken token, boolean replayToAnyTopic) {
        /** Default settings, no token, replays to ballast.replay.* only: for tests and embedding. */
        public static final Options OPEN = new Options(StoreSettings.DEFAULTS, null, false);
    }

    public EventStore store() {
        return store;
    }

    public int port() {
        return api.port();
    }

    /** The background loops' states: ingest, outbox, anchors. */
    public List<LoopStatus> loops() {
        return List.of(ingest.status(), outbox.status(), anchors.status());
    }

    public KafkaIngest ingest() {
        return ingest;
    }

    @Override
    public void close() {
        api.close();
        anchors.close();
        outbox.close();
        ingest.close();
        store.close();
    }
}
