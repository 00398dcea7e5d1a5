package io.ballast.cli;

import picocli.CommandLine.Option;

/**
 * Where the client commands find Kafka and the registry. Defaults are where {@code ballast up}
 * listens; the environment variables override them for a real cluster.
 */
final class Endpoints {
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    static final String DEFAULT_REGISTRY = "http://127.0.0.1:8081/apis/ccompat/v7";

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT",
            defaultValue = "${env:BALLAST_BOOTSTRAP_SERVERS:-" + DEFAULT_BOOTSTRAP + "}",
            description = "Kafka bootstrap servers (env BALLAST_BOOTSTRAP_SERVERS; default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = {"-r", "--registry-url"}, paramLabel = "URL",
            defaultValue = "${env:BALLAST_REGISTRY_URL:-" + DEFAULT_REGISTRY + "}",
            description = "Schema registry URL, Confluent API (env BALLAST_REGISTRY_URL; default ${DEFAULT-VALUE}).")
    String registryUrl;
}
