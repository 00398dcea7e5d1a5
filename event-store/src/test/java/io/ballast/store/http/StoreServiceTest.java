package io.ballast.store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.ballast.audit.ProofDocuments;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.FreePort;
import io.ballast.embedded.junit.KafkaRecords;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.store.replay.Replayer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store service as {@code ballast up} runs it, through its HTTP API: append, read, prove, verify, replay. */
@WithKafka
@WithRegistry
class StoreServiceTest {

    @TempDir
    Path dir;

    private record Answer(int statusCode, String body) {
    }

    private static Answer call(int port, String method, String path, String body) throws Exception {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setRequestMethod(method);
        if (body != null) {
            c.setDoOutput(true);
            c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
        int status = c.getResponseCode();
        java.io.InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        return new Answer(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void appendReadProveVerifyAndReplayThroughTheApi(EmbeddedKafka kafka, ApicurioRegistry registry) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
            admin.createTopics(List.of(new NewTopic("ballast.replay.api-test", 1, (short) 1))).all().get();
        }
        String target = "api-" + UUID.randomUUID();
        String stream = "ballast.actions/" + target;
        try (StoreService service = StoreService.start(dir, new io.ballast.client.KafkaClients(io.ballast.client.ClientConfig.of(kafka.bootstrapServers(), registry.url())), "127.0.0.1", FreePort.find(), 1000,
                Duration.ofMinutes(1))) {
            int port = service.port();
            assertEquals(200, call(port, "GET", "/status", null).statusCode());
            String events = "{\"expectedVersion\": \"noStream\", \"events\": [{\"actor\": \"ops\", \"action\": \"deploy\", \"target\": \""
                    + target + "\", \"outcome\": \"SUCCEEDED\", \"envelope\": {\"occurredAt\": 1767225600000}}]}";
            Answer appended = call(port, "POST", "/streams/" + stream, events);
            assertEquals(201, appended.statusCode(), appended.body());
            JsonNode result = EventJson.MAPPER.readTree(appended.body());
            assertEquals(0, result.get("lastVersion").asLong());
            Answer conflict = call(port, "POST", "/streams/" + stream, events.replace("ops", "ops2"));
            assertEquals(409, conflict.statusCode());
            assertEquals("append to stream '" + stream + "' expected version noStream but the stream is at version 0",
                    EventJson.MAPPER.readTree(conflict.body()).get("error").asText());
            assertEquals(400, call(port, "POST", "/streams/x", "not json").statusCode());

            JsonNode read = EventJson.MAPPER.readTree(call(port, "GET", "/streams/" + stream, null).body());
            assertEquals(1, read.size());
            assertEquals("deploy", read.get(0).get("data").get("action").asText());
            String eventId = read.get(0).get("eventId").asText();

            JsonNode proof = EventJson.MAPPER.readTree(call(port, "GET", "/proofs/inclusion/" + eventId, null).body());
            ProofDocuments.Check check = ProofDocuments.verify(proof, null);
            assertTrue(check.valid(), check.message());
            JsonNode verify = EventJson.MAPPER.readTree(call(port, "GET", "/audit/verify", null).body());
            assertTrue(verify.get("problems").isEmpty(), verify.toString());

            Answer replayed = call(port, "POST", "/replay", "{\"from\": \"2026-01-01T00:00:00Z\", \"to\": \"2026-01-01T00:01:00Z\","
                    + " \"subject\": \"" + target + "\", \"toTopic\": \"ballast.replay.api-test\"}");
            assertEquals(200, replayed.statusCode(), replayed.body());
            assertEquals(1, EventJson.MAPPER.readTree(replayed.body()).get("published").asLong());
            List<ConsumerRecord<byte[], byte[]>> copies = KafkaRecords.await(kafka, "ballast.replay.api-test", 1, Duration.ofSeconds(30));
            assertEquals(1, copies.size());
            assertEquals(1767225600000L, copies.get(0).timestamp(), "the original event time");
            assertEquals(target, new String(copies.get(0).key(), StandardCharsets.UTF_8));
            assertTrue(copies.get(0).headers().lastHeader(Replayer.REPLAY_ID) != null);
        }
    }
}
