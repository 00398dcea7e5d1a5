package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.FreePort;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code ballast produce} and {@code consume} against a real broker and a real Apicurio Registry. */
@WithKafka
@WithRegistry
class ProduceConsumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLES = Path.of("..", "examples", "events");
    private static String bootstrap;
    private static String registry;

    @BeforeAll
    static void catalog(EmbeddedKafka kafka, ApicurioRegistry apicurio) throws Exception {
        bootstrap = kafka.bootstrapServers();
        registry = apicurio.url();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
    }

    static Stream<TopicSpec> avroTopics() {
        return Topics.all().stream().filter(t -> t.value() instanceof ValueFormat.Avro)
                .filter(t -> !t.equals(Topics.ACTIONS)); // the bad-input tests write to ballast.actions
    }

    @ParameterizedTest
    @MethodSource("avroTopics")
    void theReadmeExamplesRoundTrip(TopicSpec topic) throws IOException {
        Path file = EXAMPLES.resolve(topic.name() + ".ndjson");
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();

        CliRun produced = CliRun.against(bootstrap, registry, "produce", "--topic", topic.name(), "--file", file.toString());
        assertEquals(List.of("sent " + lines.size() + " event(s) to " + topic.name() + ", refused 0"), produced.outLines());
        assertEquals(0, produced.exitCode(), produced.err());

        CliRun consumed = CliRun.against(bootstrap, registry, "consume", "--topic", topic.name(),
                "--from-beginning", "--max", Integer.toString(lines.size()));
        assertEquals(0, consumed.exitCode(), consumed.err());
        List<JsonNode> events = consumed.outLines().stream().map(ProduceConsumeTest::parse).toList();
        assertEquals(lines.size(), events.size());
        for (String line : lines) {
            JsonNode given = parse(line);
            assertTrue(events.stream().anyMatch(e -> holds(e, given, true)), () -> "not consumed back: " + line + "\n got: " + events);
        }
        for (JsonNode event : events) {
            String subject = String.join("/", topic.keyFields().stream().map(f -> event.get(f).asText()).toList());
            assertEquals(subject, event.get("envelope").get("subject").asText());
            assertEquals(((ValueFormat.Avro) topic.value()).type().getSimpleName(), event.get("envelope").get("type").asText());
        }
    }

    @Test
    void badLinesAreReportedWithTheirNumberAndGoodOnesSent(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mixed.ndjson");
        Files.write(file, List.of(
                "{\"actor\": \"bob\", \"action\": \"scale\", \"target\": \"cart\"}",
                "this is not json",
                "{\"actor\": \"bob\", \"action\": 7, \"target\": \"cart\"}",
                "",
                "{\"actor\": \"bob\", \"target\": \"cart\"}",
                "{\"actor\": \"bob\", \"action\": \"scale\", \"target\": \"cart\", \"colour\": \"red\"}",
                "[1, 2]",
                "{\"actor\": \"carol\", \"action\": \"rollback\", \"target\": \"cart\", \"outcome\": \"FAILED\"}"));

        CliRun run = CliRun.against(bootstrap, registry, "produce", "--topic", "ballast.actions", "--file", file.toString());

        assertEquals(1, run.exitCode());
        assertEquals(List.of("sent 2 event(s) to ballast.actions, refused 5"), run.outLines());
        assertEquals(List.of(
                "line 2: $: not JSON: Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                "line 3: $.action: expected a string, got number 7",
                "line 5: $.action: missing required field (string)",
                "line 6: $.colour: unknown field; Action has: envelope, actor, action, target, outcome, attributes",
                "line 7: $: expected a JSON object, got array"), run.errLines());

        CliRun consumed = CliRun.against(bootstrap, registry, "consume", "--topic", "ballast.actions", "--from-beginning", "--max", "2");
        List<String> actions = consumed.outLines().stream().map(l -> parse(l).get("action").asText()).toList();
        assertEquals(List.of("scale", "rollback"), actions);
    }

    @Test
    void policiesAndSamplesThatBreakTheAutoscalersRulesAreRefusedAtTheProducer(@TempDir Path dir) throws IOException {
        Path policies = Files.write(dir.resolve("policies.ndjson"), List.of(
                "{\"service\": \"cart\", \"version\": 1, \"minReplicas\": 5, \"maxReplicas\": 2, \"metrics\": [{\"name\": \"cpu\", "
                        + "\"source\": \"RESOURCE\", \"targetType\": \"UTILIZATION\", \"target\": 70}]}",
                "{\"service\": \"cart\", \"version\": 1, \"maxReplicas\": 4, \"metrics\": [{\"name\": \"rps\", \"source\": \"PODS\", "
                        + "\"target\": 100}], \"behavior\": {\"scaleUp\": {\"policies\": [{\"type\": \"PODS\", \"value\": 2, \"periodSeconds\": 0}]}}}"));
        CliRun refused = CliRun.against(bootstrap, registry, "produce", "--topic", "ballast.policies", "--file", policies.toString());
        assertEquals(1, refused.exitCode());
        assertEquals(List.of("line 1: $: $.minReplicas: 5 is above maxReplicas 2",
                "line 2: $: $.behavior.scaleUp.policies[0].periodSeconds: must be 1 to 1800, got 0"), refused.errLines());

        Path samples = Files.write(dir.resolve("samples.ndjson"), List.of(
                "{\"service\": \"cart\", \"instance\": \"cart-1\", \"metric\": \"requests_total\", \"kind\": \"COUNTER\", \"value\": -3}",
                "{\"service\": \"cart\", \"instance\": \"cart-1\", \"metric\": \"cpu\", \"value\": 0.2, "
                        + "\"envelope\": {\"occurredAt\": \"2999-01-01T00:00:00Z\"}}"));
        CliRun samplesRun = CliRun.against(bootstrap, registry, "produce", "--topic", "ballast.metrics.raw", "--file", samples.toString());
        assertEquals(List.of("sent 0 event(s) to ballast.metrics.raw, refused 2"), samplesRun.outLines());
        assertEquals("line 1: $: $.value: a COUNTER counts up from 0, got -3.0", samplesRun.errLines().get(0));
        assertTrue(samplesRun.errLines().get(1).startsWith("line 2: $: $.envelope.occurredAt: 2999-01-01T00:00:00Z is more than 300 s ahead of the clock"),
                samplesRun.errLines().get(1));
    }

    @Test
    void anEventOverTheTopicLimitIsRefusedBeforeSending(@TempDir Path dir) throws IOException {
        String big = "x".repeat(TopicSpec.DEFAULT_MAX_MESSAGE_BYTES);
        Path file = dir.resolve("big.ndjson");
        Files.writeString(file, "{\"actor\": \"bob\", \"action\": \"upload\", \"target\": \"huge\", \"attributes\": {\"blob\": \"" + big + "\"}}\n");

        CliRun run = CliRun.against(bootstrap, registry, "produce", "--topic", "ballast.actions", "--file", file.toString());

        assertEquals(1, run.exitCode());
        assertEquals(1, run.errLines().size());
        String error = run.errLines().get(0);
        assertTrue(error.matches("line 1: \\$: the event is \\d+ bytes, over ballast.actions's limit of 1048576 bytes \\(max.message.bytes\\)"), error);
    }

    @Test
    void anUnknownTopicIsRefusedWithTheCatalog() {
        CliRun run = CliRun.against(bootstrap, registry, "produce", "--topic", "ballast.nope", "--file", "-");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("error: unknown topic 'ballast.nope'; the catalog has: ballast.actions, ballast.metrics.raw,"), run.err());
    }

    @Test
    void aRegistryThatIsDownIsNamed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("one.ndjson");
        Files.writeString(file, "{\"actor\": \"bob\", \"action\": \"scale\", \"target\": \"cart\"}\n");
        String down = "http://127.0.0.1:" + FreePort.find() + "/apis/ccompat/v7";

        CliRun run = CliRun.against(bootstrap, down, "produce", "--topic", "ballast.actions", "--file", file.toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("error: the schema registry at " + down + " is unavailable: 5 attempt(s) over "), run.err());
    }

    @Test
    void topicsShowsTheCatalogInSync() {
        CliRun run = CliRun.against(bootstrap, registry, "topics");
        assertEquals(0, run.exitCode(), run.out());
        assertEquals(Topics.all().size() + 1, run.outLines().size());
        assertTrue(run.outLines().stream().skip(1).allMatch(l -> l.endsWith(" ok")), run.out());
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + line, e);
        }
    }

    /** Whether {@code actual} has every field {@code expected} gives, numbers compared by value; the envelope is filled, so skipped. */
    private static boolean holds(JsonNode actual, JsonNode expected, boolean top) {
        if (expected.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (top && field.getKey().equals("envelope")) {
                    continue;
                }
                if (actual == null || !holds(actual.get(field.getKey()), field.getValue(), false)) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray()) {
            if (actual == null || !actual.isArray() || actual.size() != expected.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!holds(actual.get(i), expected.get(i), false)) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isNumber()) {
            return actual != null && actual.isNumber() && actual.doubleValue() == expected.doubleValue();
        }
        return expected.equals(actual);
    }
}
