package io.ballast.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.store.EventStore;
import io.ballast.store.StoreSettings;
import io.ballast.http.ApiToken;
import io.ballast.store.StoreSettings;
import io.ballast.store.http.LoopMetrics;
import io.ballast.store.http.StoreService;
import io.ballast.store.kafka.KafkaIngest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast store}: run the event store on its own, or rebuild a lost one from Kafka. */
@Command(name = "store", mixinStandardHelpOptions = true, description = "Run the event store, or rebuild it from Kafka.",
        subcommands = {StoreCommand.Serve.class, StoreCommand.Rebuild.class})
final class StoreCommand {

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Run the event store (ingest of every ballast.* topic, outbox, signed tree heads, HTTP API) until Ctrl-C.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The store's directory (store/ and keys/ in it).")
        Path dataDir;

        @Option(names = "--port", defaultValue = "7071", description = "The API's port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--max-disk-bytes", paramLabel = "N", defaultValue = "0", description = "The store's disk budget (its SST "
                + "files; 0: none). At the budget appends are refused (507) until there is room.")
        long maxDiskBytes;

        @Option(names = "--replay-to-any-topic", description = "Let replays write to any topic, not only ballast.replay.*.")
        boolean replayToAnyTopic;

        @Mixin
        Endpoints endpoints;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            ApiToken token = ApiToken.loadOrCreate(dataDir.resolve(ApiToken.FILE));
            StoreService service = StoreService.start(dataDir, endpoints.clients(), "127.0.0.1", port, 1000, Duration.ofSeconds(60),
                    new StoreService.Options(StoreSettings.DEFAULTS.withMaxDiskBytes(maxDiskBytes), token, replayToAnyTopic), status -> {
                        out.println("store: " + status.describe() + "; retrying at " + status.restartAt());
                        out.flush();
                    });
            LoopMetrics.bind(io.micrometer.core.instrument.Metrics.globalRegistry, service::loops);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                stopped.countDown();
            }, "ballast-store-stop"));
            out.println("event store on http://127.0.0.1:" + service.port() + " with " + service.store().size()
                    + " events in " + dataDir + "; archiving every ballast.* topic. Ctrl-C to stop.");
            out.println("API token in " + dataDir.resolve(ApiToken.FILE) + " (clients: --token-file, or BALLAST_API_TOKEN_FILE)");
            out.flush();
            stopped.await();
            return ExitCodes.OK;
        }
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = "Rebuild a lost store from topics with full retention: archive every ballast.* topic from its start, then exit.")
    static final class Rebuild implements Callable<Integer> {
        @Option(names = "--from-kafka", required = true, description = "Read the history back from Kafka (the only source there is).")
        boolean fromKafka;

        @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where the rebuilt store goes (DIR/store must not exist).")
        Path dataDir;

        @Mixin
        Endpoints endpoints;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path storeDir = dataDir.resolve("store");
            if (Files.exists(storeDir)) {
                spec.commandLine().getErr().println(storeDir + " exists: rebuild writes a new store; move the old one away first");
                return ExitCodes.FAILED;
            }
            Map<String, Long> ends = endOffsets(endpoints.clients());
            long started = System.nanoTime();
            try (EventStore store = EventStore.open(storeDir, StoreSettings.DEFAULTS)) {
                Semaphore committed = new Semaphore(0);
                store.onCommit(committed::release);
                try (KafkaIngest ingest = new KafkaIngest(store, endpoints.clients(),
                        endpoints.clients().registry()).start()) {
                    while (!caughtUp(store.offsets(), ends)) {
                        committed.tryAcquire(1, TimeUnit.SECONDS);
                    }
                    out.println("rebuilt " + store.size() + " events from " + ends.size() + " partitions in "
                            + Math.round((System.nanoTime() - started) / 1e6) / 1000.0 + " s (" + ingest.archived() + " archived)");
                }
            }
            return ExitCodes.OK;
        }

        private static boolean caughtUp(Map<String, Long> offsets, Map<String, Long> ends) {
            return ends.entrySet().stream().allMatch(e -> e.getValue() == 0 || offsets.getOrDefault(e.getKey(), 0L) >= e.getValue());
        }

        private static Map<String, Long> endOffsets(io.ballast.client.KafkaClients clients) throws Exception {
            try (Admin admin = clients.admin()) {
                List<String> topics = admin.listTopics().names().get().stream().filter(t -> KafkaIngest.ARCHIVED.matcher(t).matches()).toList();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get().forEach((t, d) -> d.partitions()
                        .forEach(p -> latest.put(new TopicPartition(t, p.partition()), OffsetSpec.latest())));
                Map<String, Long> ends = new HashMap<>();
                // the last stable offsets: records of transactions still open are not there yet for a read_committed reader
                admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                        .forEach((tp, info) -> ends.put(tp.topic() + ":" + tp.partition(), info.offset()));
                return ends;
            }
        }
    }
}
