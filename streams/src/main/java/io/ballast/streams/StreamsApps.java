package io.ballast.streams;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.ballast.catalog.Topics;
import io.ballast.events.Signal;
import io.ballast.http.ApiToken;
import io.ballast.registry.RegistryClient;
import io.ballast.client.KafkaClients;
import io.ballast.serde.EventSerializer;
import io.ballast.signals.app.LagWatcher;
import io.ballast.signals.app.SignalsSettings;
import io.ballast.signals.app.SignalsTopology;
import io.ballast.views.app.ViewServer;
import io.ballast.views.app.ViewsSettings;
import io.ballast.views.app.ViewsTopology;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Streams JVM of {@code ballast up}: the signals app, the views app with its HTTP API, and the lag
 * watcher, against one Kafka and registry. Arguments are {@code key=value} ({@link StreamsAppConfig#KEYS}).
 * Prints {@value #READY} once both apps run; stops cleanly on SIGTERM.
 */
public final class StreamsApps implements AutoCloseable {
    public static final String READY = "ballast streams running";
    /** The exit status of a Streams JVM whose app reached ERROR (EX_SOFTWARE). */
    public static final int ERROR_EXIT = 70;
    private static final Logger LOG = LoggerFactory.getLogger(StreamsApps.class);

    private final KafkaStreams signals;
    private final KafkaStreams views;
    private final ViewServer server;
    private final LagWatcher lag;
    private final Admin admin;
    private final KafkaProducer<String, Signal> lagProducer;

    private StreamsApps(KafkaStreams signals, KafkaStreams views, ViewServer server, LagWatcher lag, Admin admin,
                        KafkaProducer<String, Signal> lagProducer) {
        this.signals = signals;
        this.views = views;
        this.server = server;
        this.lag = lag;
        this.admin = admin;
        this.lagProducer = lagProducer;
    }

    /** Starts both apps and waits until they run; an app that reaches ERROR ends the process (status 70) for up to restart it. */
    public static StreamsApps start(StreamsAppConfig config, Duration timeout) throws IOException, InterruptedException {
        return start(config, timeout, app -> {
            LOG.error("{} reached ERROR (its stream threads failed past their replacement budget); exiting so that it is restarted", app);
            System.out.println("ballast streams failed: " + app + " reached ERROR");
            System.out.flush();
            // exit from a thread of its own: the shutdown hook closes the apps, which must not wait on this listener's thread
            new Thread(() -> System.exit(ERROR_EXIT), "ballast-streams-exit").start();
        });
    }

    /** As above; {@code onError} is told the application id of an app that reached ERROR. */
    static StreamsApps start(StreamsAppConfig config, Duration timeout, java.util.function.Consumer<String> onError)
            throws IOException, InterruptedException {
        KafkaClients clients = new KafkaClients(config.clients());
        clients.requireReachable(Duration.ofSeconds(30));
        RegistryClient registry = clients.registry();
        SignalsSettings signalsSettings = new SignalsSettings(Topics.METRICS_RAW.name(), Topics.SIGNALS.name(), Topics.DLQ.name(),
                config.windows(), config.emitEarly(), config.latency());
        ViewsSettings viewsSettings = new ViewsSettings(Topics.POLICIES.name(), Topics.REPLICAS.name(), Topics.DECISIONS_SCALING.name(),
                Topics.NODES.name(), Topics.SHARDS_LOAD.name(), Topics.PLANS_REBALANCE.name(), Topics.DLQ.name());
        KafkaStreams signals = new KafkaStreams(SignalsTopology.build(signalsSettings, registry), properties(config, SignalsTopology.APP, null));
        String self = config.httpHost() + ":" + config.httpPort();
        KafkaStreams views = new KafkaStreams(ViewsTopology.build(viewsSettings, registry), properties(config, ViewsTopology.APP, self));
        CountDownLatch running = new CountDownLatch(2);
        supervise(signals, SignalsTopology.APP, new ThreadReplacements(3, Duration.ofMinutes(1)), running, onError);
        supervise(views, ViewsTopology.APP, new ThreadReplacements(3, Duration.ofMinutes(1)), running, onError);
        ViewServer server = ViewServer.start(views, config.httpHost(), config.httpPort(),
                config.apiTokenFile() == null ? null : ApiToken.read(config.apiTokenFile()).orElseThrow(() -> new IllegalArgumentException(
                        "api.token.file: there is no token in " + config.apiTokenFile())));
        signals.start();
        views.start();
        Admin admin = clients.admin();
        KafkaProducer<String, Signal> lagProducer = clients.producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.CLIENT_ID_CONFIG, "ballast-lag-watcher"),
                new StringSerializer(), new EventSerializer<>(registry));
        LagWatcher lag = new LagWatcher(admin, lagProducer, Topics.SIGNALS.name(), config.lagWatches(), config.lagInterval(), Clock.systemUTC());
        StreamsApps apps = new StreamsApps(signals, views, server, lag, admin, lagProducer);
        if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            apps.close();
            throw new IllegalStateException("the Streams apps did not reach RUNNING within " + timeout.toSeconds() + " s (signals "
                    + signals.state() + ", views " + views.state() + ")");
        }
        lag.start();
        return apps;
    }

    /**
     * A failed stream thread is replaced (Kafka Streams starts a new one on the same tasks) up to 3 times a
     * minute; past that the app shuts down, reaches ERROR, and {@code onError} hears of it. Without this a
     * failed thread died and the app sat in ERROR, its process alive and doing nothing.
     */
    static void supervise(KafkaStreams app, String name, ThreadReplacements budget, CountDownLatch running,
                          java.util.function.Consumer<String> onError) {
        app.setUncaughtExceptionHandler(failure -> {
            boolean replace = budget.allow(System.currentTimeMillis());
            LOG.error("a stream thread of {} failed; {}", name, replace ? "replacing it" : "past its replacement budget: shutting the app down",
                    failure);
            return replace ? StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD
                    : StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        app.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING && before == KafkaStreams.State.REBALANCING) {
                running.countDown();
            }
            if (now == KafkaStreams.State.ERROR) {
                onError.accept(name);
            }
        });
    }

    static Properties properties(StreamsAppConfig config, String applicationId, String applicationServer) {
        // the client configuration first (brokers, security): what follows is the apps' own
        Properties p = new KafkaClients(config.clients()).properties(Map.of());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        // one broker on a laptop; a real cluster sets its own
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        if (applicationServer != null) {
            p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        return p;
    }

    public int httpPort() {
        return server.port();
    }

    public KafkaStreams signals() {
        return signals;
    }

    public KafkaStreams views() {
        return views;
    }

    @Override
    public void close() {
        lag.close();
        server.close();
        // leave the groups: the other instances take the partitions over now, not after the session timeout
        CloseOptions leave = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30));
        signals.close(leave);
        views.close(leave);
        lagProducer.close();
        admin.close();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("arguments are key=value; got '" + arg + "'. Keys: " + StreamsAppConfig.KEYS.stream()
                        .map(StreamsAppConfig.Key::name).toList());
                System.exit(2);
            }
            given.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        StreamsAppConfig config;
        try {
            config = StreamsAppConfig.parse(given);
        } catch (IllegalArgumentException e) {
            System.err.println("bad configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamsApps apps = start(config, Duration.ofSeconds(120));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            apps.close();
            stopped.countDown();
        }, "ballast-streams-stop"));
        LOG.info("signals and views running; views on http://{}:{}", config.httpHost(), apps.httpPort());
        System.out.println(READY + " (views on http://" + config.httpHost() + ":" + apps.httpPort() + ")");
        System.out.flush();
        stopped.await();
    }
}
