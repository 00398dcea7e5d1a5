package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.client.KafkaUnreachableException;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.FreePort;
import io.ballast.embedded.TempDirs;
import io.ballast.embedded.junit.Await;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.ScalingDecision;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.serde.EventDecoder;
import io.ballast.store.http.StoreService;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ballast's clients on a secured broker: the embedded broker with a SASL_PLAINTEXT listener authenticating with
 * SCRAM-SHA-512. With the credentials in a client configuration file, {@code produce}, {@code consume}, the event
 * store's ingest and a job (submitted to up's Flink) work; without them each fails with a message that names the
 * listener and the setting to add; the password reaches no output and no log.
 */
@WithRegistry
class SecuredKafkaTest {
    private static final EmbeddedKafka.ScramUser USER = new EmbeddedKafka.ScramUser("ballast", "scram-password-never-logged-7");
    private static EmbeddedKafka kafka;
    private static Path dir;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        dir = Files.createTempDirectory("ballast-secured");
        kafka = EmbeddedKafka.startSecured(dir.resolve("kafka"), USER);
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
    }

    @AfterAll
    static void stop() {
        try {
            kafka.close();
        } finally {
            TempDirs.deleteQuietly(dir);
        }
    }

    @Test
    void produceAndConsumeWithTheCredentials(ApicurioRegistry registry) throws Exception {
        Path config = config(registry, USER.password());
        CliRun produce = CliRun.of("produce", "--topic", "ballast.metrics.raw", "--file", example("ballast.metrics.raw"),
                "--config", config.toString());
        assertEquals(0, produce.exitCode(), produce.err());
        assertEquals("sent 3 event(s) to ballast.metrics.raw, refused 0", produce.out().strip());

        CliRun consume = CliRun.of("consume", "--topic", "ballast.metrics.raw", "--from-beginning", "--max", "3",
                "--config", config.toString());
        assertEquals(0, consume.exitCode(), consume.err());
        assertEquals(3, consume.outLines().size(), consume.out());
        assertFalse((produce.out() + produce.err() + consume.err()).contains(USER.password()));
    }

    @Test
    void withoutCredentialsEachNamesTheListenerAndTheSettingToAdd(ApicurioRegistry registry, @TempDir Path tmp) {
        String listener = kafka.saslBootstrapServers();
        String expected = "Kafka at " + listener + " did not answer this client (security.protocol=PLAINTEXT): the listener at "
                + listener + " requires SASL authentication (SCRAM-SHA-512); set security.protocol=SASL_PLAINTEXT, "
                + "sasl.mechanism=SCRAM-SHA-512 and sasl.jaas.config in the client configuration (--config FILE or BALLAST_CONFIG)";

        CliRun produce = CliRun.against(listener, registry.url(), "produce", "--topic", "ballast.metrics.raw", "--file",
                example("ballast.metrics.raw"));
        assertEquals(2, produce.exitCode());
        assertTrue(produce.err().startsWith("error: " + expected), produce.err());

        CliRun consume = CliRun.against(listener, registry.url(), "consume", "--topic", "ballast.metrics.raw", "--max", "1");
        assertEquals(2, consume.exitCode());
        assertTrue(consume.err().startsWith("error: " + expected), consume.err());

        KafkaUnreachableException store = assertThrows(KafkaUnreachableException.class, () -> StoreService.start(tmp,
                new KafkaClients(ClientConfig.of(listener, registry.url())), "127.0.0.1", FreePort.find(), 1000, Duration.ofMinutes(1)));
        assertEquals(expected, store.getMessage());
    }

    @Test
    void wrongOrIncompleteCredentialsAreNamedAsSuch(ApicurioRegistry registry) throws Exception {
        CliRun wrong = CliRun.of("consume", "--topic", "ballast.metrics.raw", "--max", "1", "--config", config(registry, "wrong").toString());
        assertEquals(2, wrong.exitCode());
        assertTrue(wrong.err().startsWith("error: Kafka at " + kafka.saslBootstrapServers() + " refused the credentials (SASL_PLAINTEXT, "
                + "SCRAM-SHA-512): "), wrong.err());

        Path noJaas = Files.writeString(dir.resolve("no-jaas.properties"), "bootstrap.servers=" + kafka.saslBootstrapServers() + "\n"
                + "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n");
        CliRun incomplete = CliRun.of("consume", "--topic", "ballast.metrics.raw", "--max", "1", "--config", noJaas.toString());
        assertEquals(2, incomplete.exitCode());
        assertTrue(incomplete.err().startsWith("error: security.protocol=SASL_PLAINTEXT with sasl.mechanism=SCRAM-SHA-512 needs "
                + "sasl.jaas.config"), incomplete.err());
    }

    @Test
    void theStoreArchivesWithTheCredentials(ApicurioRegistry registry, @TempDir Path tmp) throws Exception {
        ClientConfig clients = ClientConfig.load(config(registry, USER.password()));
        assertFalse(clients.toString().contains(USER.password()), clients.toString());
        try (StoreService store = StoreService.start(tmp, new KafkaClients(clients), "127.0.0.1", FreePort.find(), 1000, Duration.ofMinutes(1))) {
            CliRun produce = CliRun.of("produce", "--topic", "ballast.actions", "--file", example("ballast.actions"),
                    "--config", config(registry, USER.password()).toString());
            assertEquals(0, produce.exitCode(), produce.err());
            Await.until("the actions archived", Duration.ofSeconds(30),
                    () -> store.store().readType("Action", 0, 100).size() >= 1);
        }
    }

    @Test
    void theStreamsAppsRunWithTheCredentialsHandedOverInAnOwnerOnlyFile(ApicurioRegistry registry, @TempDir Path tmp) throws Exception {
        ClientConfig secured = ClientConfig.load(config(registry, USER.password()));
        try (ChildJvm.Running apps = StreamsProcess.start(tmp, secured, FreePort.find(), List.of(), Duration.ofSeconds(90))) {
            assertTrue(apps.isAlive(), "both apps RUNNING on the SASL listener");
            Path file = tmp.resolve("streams").resolve("client.properties");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertFalse(Files.readString(apps.logFile()).contains(USER.password()), "the password reached the Streams apps' log");
            assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(USER.password())),
                    "the password is on a command line");
        }
    }

    @Test
    void aJobRunsWithTheCredentialsAndRefusesToStartWithout(ApicurioRegistry registry) throws Exception {
        int port = FreePort.find();
        ClientConfig secured = ClientConfig.load(config(registry, USER.password()));
        try (ChildJvm.Running flink = FlinkProcess.start(dir, port, Duration.ofSeconds(90))) {
            FlinkRest rest = new FlinkRest("http://127.0.0.1:" + port);
            FlinkRest.FlinkException refused = assertThrows(FlinkRest.FlinkException.class, () -> submit(rest,
                    ClientConfig.of(kafka.saslBootstrapServers(), registry.url())));
            assertTrue(refused.getMessage().contains("the job refused to start: Kafka at " + kafka.saslBootstrapServers()
                    + " did not answer this client (security.protocol=PLAINTEXT): the listener at " + kafka.saslBootstrapServers()
                    + " requires SASL authentication (SCRAM-SHA-512)"), refused.getMessage());

            String jobId = submit(rest, secured);
            List<String> trace = Traces.autoscale("secured");
            for (String[] topic : new String[][] {{"maxReplicas", "ballast.policies"}, {"currentReplicas", "ballast.replicas"},
                    {"\"metric\"", "ballast.metrics.raw"}}) {
                Path file = Files.write(dir.resolve("secured-" + topic[1] + ".ndjson"), trace.stream().filter(l -> l.contains(topic[0])).toList());
                CliRun run = CliRun.of("produce", "--topic", topic[1], "--file", file.toString(), "--config",
                        config(registry, USER.password()).toString());
                assertEquals(0, run.exitCode(), run.err());
            }
            EventDecoder<ScalingDecision> decoder = EventDecoder.specific(RegistryClient.connect(RegistryConfig.of(registry.url())),
                    ScalingDecision.class);
            List<String> decisions = KafkaRecords.await(kafka, Topics.DECISIONS_SCALING.name(),
                            r -> "secured".equals(new String(r.key(), StandardCharsets.UTF_8)), 2, Duration.ofSeconds(120)).stream()
                    .map(decoder::decode).map(d -> d.getCurrentReplicas() + "->" + d.getDesiredReplicas()).toList();
            assertEquals(List.of("2->4", "4->2"), decisions, () -> "the job as Flink sees it: " + rest.get("jobs/" + jobId)
                    + "; checkpoints: " + rest.get("jobs/" + jobId + "/checkpoints").path("counts") + "; " + offsets()
                    + "; dead letters: " + KafkaRecords.await(kafka, Topics.DLQ.name(), 1000, Duration.ofSeconds(2)).stream()
                    .map(r -> new String(r.headers().lastHeader("ballast.dlq.reason").value(), StandardCharsets.UTF_8)).toList());
            rest.cancel(jobId);
            assertFalse(Files.readString(flink.logFile()).contains(USER.password()), "the password reached Flink's log");
        }
    }

    /** The job's committed offsets against the inputs' ends, for a failure message. */
    private static String offsets() {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            return "committed " + admin.listConsumerGroupOffsets("secured-test").partitionsToOffsetAndMetadata().get()
                    + ", ends " + admin.listOffsets(Map.of(new org.apache.kafka.common.TopicPartition(Topics.METRICS_RAW.name(), 0),
                    org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get();
        } catch (Exception e) {
            return "offsets unknown: " + e;
        }
    }

    private static String submit(FlinkRest rest, ClientConfig clients) {
        return new JobSubmission(FlinkJob.AUTOSCALER, FlinkJob.builtJar(), clients, Map.of("group.id", "secured-test",
                // source.idleness stays at its 10 s: at 1 s, a source whose first fetch (SASL, SCRAM) took longer was taken
                // as idle, the watermark ran ahead on the samples, and the policy came after every evaluation
                "transactional.id.prefix", "secured-test"), null, null, Map.of())
                .submit(rest, Duration.ofSeconds(90)).jobId();
    }

    private static Path config(ApicurioRegistry registry, String password) throws Exception {
        return Files.writeString(dir.resolve("client-" + password.hashCode() + ".properties"), String.join("\n",
                "bootstrap.servers=" + kafka.saslBootstrapServers(),
                "registry.url=" + registry.url(),
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\\\"" + USER.name()
                        + "\\\" password=\\\"" + password + "\\\";", ""));
    }

    private static String example(String topic) {
        return Path.of("..", "examples", "events", topic + ".ndjson").toString();
    }
}
