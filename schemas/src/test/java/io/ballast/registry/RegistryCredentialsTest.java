package io.ballast.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ballast.catalog.Topics;
import io.ballast.client.ClientConfig;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.junit.WithRegistry;
import io.ballast.events.Action;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry client's credentials: a real Apicurio behind a gate on loopback that demands HTTP basic auth (as a
 * secured Confluent or Karapace registry does; Apicurio's own auth needs an OIDC server). With
 * {@code basic.auth.user.info} from the client configuration the calls go through; without, the refusal says what
 * to set; the password is never printed.
 */
@WithRegistry
class RegistryCredentialsTest {
    private static final String USER_INFO = "ballast:registry-password-never-printed";
    private static HttpServer gate;

    @BeforeAll
    static void startGate(ApicurioRegistry registry) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        gate = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String expected = "Basic " + Base64.getEncoder().encodeToString(USER_INFO.getBytes(StandardCharsets.UTF_8));
        URI upstream = URI.create(registry.url().substring(0, registry.url().indexOf("/apis/")));
        gate.createContext("/", exchange -> forward(http, upstream, expected, exchange));
        gate.start();
    }

    @AfterAll
    static void stopGate() {
        gate.stop(0);
    }

    @Test
    void basicCredentialsFromTheClientConfigurationGetThrough(ApicurioRegistry registry) {
        ClientConfig config = ClientConfig.of("127.0.0.1:9092", gatedUrl(registry)).with("basic.auth.credentials.source", "USER_INFO")
                .with("basic.auth.user.info", USER_INFO);
        RegistryClient client = RegistryClient.connect(config.registry());
        int id = client.register(Topics.ACTIONS.valueSubject(), SpecificData.get().getSchema(Action.class));
        assertEquals(SpecificData.get().getSchema(Action.class), client.schemaById(id));
        assertFalse(config.toString().contains("registry-password"), config.toString());
        assertFalse(config.registry().toString().contains("registry-password"), config.registry().toString());
    }

    @Test
    void withoutCredentialsTheRefusalSaysWhatToSet(ApicurioRegistry registry) {
        RegistryClient client = RegistryClient.connect(ClientConfig.of("127.0.0.1:9092", gatedUrl(registry)).registry());
        RegistryRequestException e = assertThrows(RegistryRequestException.class,
                () -> client.register(Topics.ACTIONS.valueSubject(), SpecificData.get().getSchema(Action.class)));
        assertTrue(e.getMessage().contains("answered 401 (no credentials were given): set basic.auth.user.info (with "
                + "basic.auth.credentials.source=USER_INFO) or bearer.auth.token (with bearer.auth.credentials.source=STATIC_TOKEN) in the "
                + "client configuration"), e.getMessage());
    }

    private static String gatedUrl(ApicurioRegistry registry) {
        return "http://127.0.0.1:" + gate.getAddress().getPort() + registry.url().substring(registry.url().indexOf("/apis/"));
    }

    /** Answers 401 without the expected Authorization header; otherwise passes the request to Apicurio and its answer back. */
    private static void forward(HttpClient http, URI upstream, String expected, HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                byte[] body = "{\"error_code\":401,\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(401, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            byte[] requestBody;
            try (InputStream in = exchange.getRequestBody()) {
                requestBody = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(requestBody));
            for (Map.Entry<String, java.util.List<String>> header : exchange.getRequestHeaders().entrySet()) {
                if (header.getKey().equalsIgnoreCase("Content-Type") || header.getKey().equalsIgnoreCase("Accept")) {
                    header.getValue().forEach(v -> request.header(header.getKey(), v));
                }
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                exchange.getResponseBody().write(response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
