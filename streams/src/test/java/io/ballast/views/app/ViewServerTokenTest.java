package io.ballast.views.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Properties;

import io.ballast.http.ApiToken;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The views' API asks for its token before anything else: without it 401 (what to send and where the token is),
 * with it the request reaches the views. The Streams app is built but not started: nothing here needs a broker,
 * and an app that is not running answers 503, which is how a request that passed the check shows.
 */
class ViewServerTokenTest {
    @TempDir
    Path dir;

    @Test
    void requestsWithoutTheTokenGet401() throws Exception {
        ApiToken token = ApiToken.loadOrCreate(dir.resolve(ApiToken.FILE));
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("unused");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "views-token-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        HttpClient http = HttpClient.newHttpClient();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), p);
             ViewServer server = ViewServer.start(streams, "127.0.0.1", 0, token)) {
            URI services = URI.create("http://127.0.0.1:" + server.port() + "/services/checkout");
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(services).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, none.statusCode());
            assertTrue(none.body().contains("the views' API asks for its token"), none.body());
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(services).header("Authorization", "Bearer nope").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode());
            HttpResponse<String> admitted = http.send(HttpRequest.newBuilder(services).header("Authorization", token.header()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, admitted.statusCode(), admitted.body());
        }
    }
}
