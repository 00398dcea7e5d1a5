package io.ballast.cli;

import java.nio.file.Path;

import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import picocli.CommandLine.Option;

/**
 * Where the client commands find Kafka and the registry, and how they authenticate: the defaults (where
 * {@code ballast up} listens), then a client configuration file ({@code --config FILE} or
 * {@code BALLAST_CONFIG}: Kafka's own keys, {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, as with
 * Kafka's {@code --command-config}, plus {@code registry.url} and the registry's credentials), then
 * {@code BALLAST_BOOTSTRAP_SERVERS} / {@code BALLAST_REGISTRY_URL}, then {@code -b} / {@code -r}.
 */
final class Endpoints {
    static final String DEFAULT_BOOTSTRAP = ClientConfig.DEFAULT_BOOTSTRAP;
    static final String DEFAULT_REGISTRY = ClientConfig.DEFAULT_REGISTRY;

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (env BALLAST_BOOTSTRAP_SERVERS; default " + DEFAULT_BOOTSTRAP + ").")
    String bootstrapFlag;

    @Option(names = {"-r", "--registry-url"}, paramLabel = "URL",
            description = "Schema registry URL, Confluent API (env BALLAST_REGISTRY_URL; default " + DEFAULT_REGISTRY + ").")
    String registryFlag;

    @Option(names = "--config", paramLabel = "FILE", description = "Client configuration: Kafka client keys (security.protocol, "
            + "sasl.*, ssl.*, ...), registry.url and the registry's basic.auth.*/bearer.auth.* (env BALLAST_CONFIG).")
    Path configFile;

    private ClientConfig resolved;

    /** The client configuration of this command. */
    ClientConfig config() {
        if (resolved == null) {
            resolved = resolve(configFile, System.getenv());
        }
        return resolved;
    }

    ClientConfig resolve(Path file, java.util.Map<String, String> env) {
        ClientConfig config = ClientConfig.fromFileOrEnv(file, env);
        config = overlay(config, ClientConfig.BOOTSTRAP_SERVERS, env.get("BALLAST_BOOTSTRAP_SERVERS"));
        config = overlay(config, ClientConfig.REGISTRY_URL, env.get("BALLAST_REGISTRY_URL"));
        config = overlay(config, ClientConfig.BOOTSTRAP_SERVERS, bootstrapFlag);
        return overlay(config, ClientConfig.REGISTRY_URL, registryFlag);
    }

    private static ClientConfig overlay(ClientConfig config, String key, String value) {
        return value == null || value.isBlank() ? config : config.with(key, value);
    }

    KafkaClients clients() {
        return new KafkaClients(config());
    }

    String bootstrapServers() {
        return config().bootstrapServers();
    }

    String registryUrl() {
        return config().registryUrl();
    }
}
