package io.ballast.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * Which Flink {@code ballast submit} and {@code ballast jobs} talk to: {@code --flink URL}, else
 * {@code BALLAST_FLINK_URL}, else the Flink of the running {@code ballast up} (the address it wrote to
 * {@code <data-dir>/flink/rest.url}), else {@code http://127.0.0.1:8082}.
 */
final class FlinkTarget {
    static final String DEFAULT_URL = "http://127.0.0.1:8082";
    /** Where {@code up} writes its Flink's REST address, under the data directory. */
    static final String URL_FILE = "flink/rest.url";

    @Option(names = "--flink", paramLabel = "URL", description = "Flink's REST API (env BALLAST_FLINK_URL; default: the Flink of "
            + "the running 'ballast up', else " + DEFAULT_URL + ").")
    String url;

    FlinkRest rest() {
        return new FlinkRest(resolve());
    }

    String resolve() {
        if (url != null && !url.isBlank()) {
            return url;
        }
        String env = System.getenv("BALLAST_FLINK_URL");
        if (env != null && !env.isBlank()) {
            return env;
        }
        String dataDir = System.getenv("BALLAST_DATA_DIR");
        Path file = (dataDir == null || dataDir.isBlank() ? Path.of(System.getProperty("user.home"), ".ballast") : Path.of(dataDir))
                .resolve(URL_FILE);
        try {
            return Files.exists(file) ? Files.readString(file).trim() : DEFAULT_URL;
        } catch (IOException e) {
            return DEFAULT_URL;
        }
    }
}
