package io.ballast.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM that runs the Kafka Streams apps for {@code ballast up} (signals, views and their HTTP API),
 * started from the built {@code streams} module, state in {@code <data>/streams}, log in
 * {@code <data>/streams/streams.log}.
 */
final class StreamsProcess {
    static final ChildJvm JVM = new ChildJvm("the Streams apps", "streams.dir", List.of("classpath.txt"), List.of("-Xmx512m"),
            "io.ballast.streams.StreamsApps", "ballast streams running");

    private StreamsProcess() {
    }

    /** Starts the apps against the platform, the views on {@code viewsPort}, plus any {@code key=value} settings. */
    static ChildJvm.Running start(Path dataDir, String bootstrapServers, String registryUrl, int viewsPort, List<String> settings,
                                  Duration timeout) {
        return start(dataDir, io.ballast.client.ClientConfig.of(bootstrapServers, registryUrl), viewsPort, settings, timeout);
    }

    /** As above, with a whole client configuration, handed over in a file only its owner reads (never on the command line). */
    static ChildJvm.Running start(Path dataDir, io.ballast.client.ClientConfig clients, int viewsPort, List<String> settings,
                                  Duration timeout) {
        Path dir = dataDir.resolve("streams");
        Path clientConfig = clients.writeTo(dir.resolve("client.properties"));
        List<String> args = new ArrayList<>(List.of("state.dir=" + dir.resolve("state"), "client.config=" + clientConfig,
                "http.port=" + viewsPort));
        java.nio.file.Path token = dataDir.resolve(io.ballast.http.ApiToken.FILE);
        if (java.nio.file.Files.exists(token)) {
            args.add("api.token.file=" + token);
        }
        args.addAll(settings);
        return JVM.start(args, dir.resolve("streams.log"), timeout);
    }
}
