package io.ballast.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.ballast.catalog.TopicDrift;
import io.ballast.catalog.TopicReport;
import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.http.ApiToken;
import io.ballast.store.StoreSettings;
import io.ballast.store.http.LoopMetrics;
import io.ballast.store.http.StoreService;
import io.ballast.supervise.Backoff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast up}: runs the embedded platform until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the embedded platform (Kafka, schema registry, topics, Flink jobs, Streams apps) and keep it running until Ctrl-C.")
final class UpCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:BALLAST_DATA_DIR:-${sys:user.home}/.ballast}",
            description = "Where all data lives; reused across restarts (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka client port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--controller-port", defaultValue = "9093", description = "KRaft controller port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--registry-port", defaultValue = "8081", description = "Schema registry port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--store-port", defaultValue = "7071", description = "Port of the event store's HTTP API (default ${DEFAULT-VALUE}).")
    int storePort;

    @Option(names = "--views-port", defaultValue = "7070", description = "Port of the state views' HTTP API (default ${DEFAULT-VALUE}).")
    int viewsPort;

    @Option(names = "--redis", paramLabel = "URI", defaultValue = "redis://127.0.0.1:6379",
            description = "The Redis the invalidation sink applies to (default ${DEFAULT-VALUE}); started when it answers.")
    String redisUri;

    @Option(names = "--connect-port", defaultValue = "8083", description = "Kafka Connect REST port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
    int connectPort;

    @Option(names = "--streams", paramLabel = "KEY=VALUE", description = "A setting of the Streams apps (repeatable), "
            + "e.g. --streams window.size=30s --streams lag.watch=checkout:checkout-workers:orders; keys in README.")
    List<String> streamsSettings = new ArrayList<>();

    @Option(names = "--flink-port", defaultValue = "8082",
            description = "Port of the embedded Flink's REST API and web UI on 127.0.0.1 (default ${DEFAULT-VALUE}).")
    int flinkPort;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Use this Kafka instead of starting one (security settings from --config).")
    String existingKafka;

    @Option(names = "--registry", paramLabel = "URL", description = "Use this schema registry (Confluent API) instead of starting one.")
    String existingRegistry;

    @Option(names = "--flink", paramLabel = "URL", description = "Submit the jobs to this Flink cluster (REST API) instead of starting one.")
    String existingFlink;

    @Option(names = "--store-max-disk-bytes", paramLabel = "N", defaultValue = "0", description = "The event store's disk budget "
            + "(its SST files; 0: none): at the budget appends are refused (507) until there is room.")
    long storeMaxDiskBytes;

    @Option(names = "--config", paramLabel = "FILE", description = "Client configuration for an existing Kafka and registry: Kafka client "
            + "keys (security.protocol, sasl.*, ssl.*), registry credentials (env BALLAST_CONFIG).")
    Path clientConfig;

    @Option(names = "--jobs", paramLabel = "KEY=VALUE", description = "A setting of the Flink jobs (repeatable): autoscaler keys as "
            + "they are, the others prefixed, e.g. --jobs sync.period=30s --jobs rebalancer.quiet.period=10s "
            + "--jobs invalidator.coalesce.window=20ms; keys in README.")
    List<String> jobSettings = new ArrayList<>();

    @Spec
    CommandSpec spec;

    /** A child that keeps dying is restarted after 1 s, 2 s, 4 s … up to a minute. */
    private static final Backoff CHILD_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Starting Ballast with data in " + dataDir + " ...");
        out.flush();
        // one token for the store's and the views' APIs, made on the first start, owner-only
        ApiToken token = ApiToken.loadOrCreate(dataDir.resolve(ApiToken.FILE));
        Platform platform = Platform.start(dataDir, kafkaPort, controllerPort, registryPort, givenClients(), existingKafka != null,
                existingRegistry != null);
        // the store runs in this JVM: its rocksdbjni is the only RocksDB here (Flink's and Kafka Streams' run in children)
        StoreService store = StoreService.start(dataDir.resolve("store"), new KafkaClients(platform.clients()),
                "127.0.0.1", storePort, 1000, Duration.ofSeconds(60), new StoreService.Options(StoreSettings.DEFAULTS.withMaxDiskBytes(storeMaxDiskBytes), token, false), status -> {
                    out.println("store: " + status.describe() + "; retrying at " + status.restartAt());
                    out.flush();
                });
        // one process, one store: its loops' meters in the global registry (no exporter yet; metrics are a later issue)
        LoopMetrics.bind(io.micrometer.core.instrument.Metrics.globalRegistry, store::loops);
        RedisSink sink = RedisSink.start(platform, dataDir.resolve("connect"), connectPort, redisUri);
        ChildJvm.Running[] flink = {existingFlink == null ? FlinkProcess.start(dataDir, flinkPort, Duration.ofSeconds(90)) : null};
        FlinkRest flinkRest = new FlinkRest(existingFlink != null ? existingFlink : "http://127.0.0.1:" + flinkPort);
        Files.createDirectories(dataDir.resolve("flink"));
        Files.writeString(dataDir.resolve(FlinkTarget.URL_FILE), flinkRest.url());
        UpJobs[] jobs = {startJobs(platform, flinkRest)};
        ChildJvm.Running[] apps = {startStreams(platform)};
        CountDownLatch stopped = new CountDownLatch(1);
        Object lifecycle = new Object();
        boolean[] closing = {false};
        Thread hook = new Thread(() -> {
            synchronized (lifecycle) {
                closing[0] = true;
            }
            // jobs and apps first: they cancel, checkpoint and commit while Kafka is still there
            jobs[0].cancel();
            if (flink[0] != null) {
                flink[0].close();
            }
            apps[0].close();
            sink.close();
            store.close();
            platform.close();
            stopped.countDown();
        }, "ballast-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // from here on the hook above stops the children, after the jobs are cancelled
        if (flink[0] != null) {
            flink[0].stoppedByOwner();
        }
        apps[0].stoppedByOwner();
        printWhereEverythingListens(out, platform, flinkRest, flink[0], apps[0], store, sink);
        ChildRestarts flinkRestarts = new ChildRestarts(CHILD_BACKOFF, System.currentTimeMillis());
        ChildRestarts appsRestarts = new ChildRestarts(CHILD_BACKOFF, System.currentTimeMillis());
        boolean[] flinkDown = {false};
        boolean[] appsDown = {false};
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            synchronized (lifecycle) {
                if (closing[0]) {
                    // every JVM shutdown hook runs at once: the registry's own hook stops it while the jobs
                    // and apps still close, and it must not be restarted then
                    continue;
                }
                platform.superviseRegistry();
                sink.startWhenRedisAnswers(out);
                if (flink[0] != null && (flinkDown[0] || !flink[0].isAlive())) {
                    flinkDown[0] = restart(out, "Flink", flink[0].logFile(), "the jobs from their last checkpoints", flinkDown[0],
                            flinkRestarts, () -> {
                                flink[0] = FlinkProcess.start(dataDir, flinkPort, Duration.ofSeconds(90)).stoppedByOwner();
                                jobs[0] = startJobs(platform, flinkRest);
                            });
                }
                if (appsDown[0] || !apps[0].isAlive()) {
                    appsDown[0] = restart(out, "the Streams apps", apps[0].logFile(), "them from their committed state", appsDown[0],
                            appsRestarts, () -> apps[0] = startStreams(platform).stoppedByOwner());
                }
            }
        }
        return ExitCodes.OK;
    }

    /**
     * Restarts a child that died, when its backoff allows, and says so; a restart that fails is reported
     * and tried again later, so that {@code up} never ends because a child could not come back. Returns
     * whether the child is still down.
     */
    private static boolean restart(PrintWriter out, String what, Path log, String resumes, boolean alreadyDown, ChildRestarts restarts,
                                   Runnable start) {
        long now = System.currentTimeMillis();
        if (!alreadyDown) {
            Duration wait = restarts.failed(now);
            out.println(what + " exited (log " + log + "); restarting " + resumes + (wait.isZero() ? "" : " in " + wait.toMillis() + " ms"));
            out.flush();
        }
        if (!restarts.due(now)) {
            return true;
        }
        try {
            start.run();
            restarts.started(System.currentTimeMillis());
            out.println(what + " restarted");
            out.flush();
            return false;
        } catch (RuntimeException e) {
            Duration wait = restarts.failed(System.currentTimeMillis());
            out.println("could not restart " + what + ": " + io.ballast.supervise.Failures.describe(e) + "; trying again in "
                    + wait.toSeconds() + " s");
            out.flush();
            return true;
        }
    }

    private UpJobs startJobs(Platform platform, FlinkRest flink) {
        UpJobs jobs = new UpJobs(flink, dataDir, existingFlink == null);
        jobs.start(platform.clients(), jobSettings, Duration.ofSeconds(120));
        return jobs;
    }

    /** The client configuration of the parts given (--kafka, --registry, --config); embedded parts fill in their own. */
    private ClientConfig givenClients() {
        ClientConfig config = ClientConfig.fromFileOrEnv(clientConfig, System.getenv());
        if (existingKafka != null) {
            config = config.with(ClientConfig.BOOTSTRAP_SERVERS, existingKafka);
        }
        if (existingRegistry != null) {
            config = config.with(ClientConfig.REGISTRY_URL, existingRegistry);
        }
        return config;
    }

    private ChildJvm.Running startStreams(Platform platform) {
        return StreamsProcess.start(dataDir, platform.clients(), viewsPort, streamsSettings,
                Duration.ofSeconds(90));
    }

    private void printWhereEverythingListens(PrintWriter out, Platform platform, FlinkRest flink, ChildJvm.Running flinkJvm,
                                             ChildJvm.Running apps, StoreService store, RedisSink sink) {
        TopicReport topics = platform.topics();
        out.println("Ballast is up.");
        out.println("  kafka      " + platform.bootstrapServers() + (platform.embeddedKafka() ? "" : "  (given; security.protocol "
                + platform.clients().securityProtocol() + ")"));
        out.println("  registry   " + platform.registryUrl() + "  (Confluent API" + (platform.embeddedRegistry() ? "; compatibility BACKWARD)" : "; given)"));
        out.println("  topics     " + (topics.created().size() + topics.existing().size()) + " in the catalog, "
                + topics.created().size() + " created now");
        out.println("  schemas    " + platform.schemaIds().size() + " registered");
        out.println("  flink      " + flink.url() + (flinkJvm == null ? "  (given)" : "  (MiniCluster; web UI and REST; log " + flinkJvm.logFile() + ")"));
        out.println("  jobs       ballast-autoscaler, ballast-rebalancer, ballast-invalidator RUNNING, each its own Flink job (RocksDB, "
                + "incremental checkpoints; ballast jobs list)");
        out.println("  streams    ballast-signals, ballast-views (Kafka Streams, exactly-once, RocksDB); log " + apps.logFile());
        out.println("  views      http://127.0.0.1:" + viewsPort + "/services  (ballast status)");
        out.println("  store      http://127.0.0.1:" + store.port() + "  (" + store.store().size() + " events; archiving every ballast.* topic;"
                + " ballast audit, ballast replay)");
        out.println("  connect    " + sink.restUrl() + "  (Kafka Connect, standalone)");
        out.println("  redis      " + sink.describe());
        out.println("  token      " + platform.dataDir().resolve(ApiToken.FILE) + "  (store and views APIs: curl -H \"Authorization: Bearer "
                + "$(cat " + platform.dataDir().resolve(ApiToken.FILE) + ")\"; the CLI reads it by itself)");
        out.println("  data       " + platform.dataDir());
        for (TopicDrift drift : topics.drift()) {
            out.println("  drift      " + drift);
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }
}
