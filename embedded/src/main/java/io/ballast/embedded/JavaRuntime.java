package io.ballast.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a JDK of at least a given feature version: Apicurio Registry 3.3 needs Java 21 while the
 * build runs on 17. Looks at {@code BALLAST_REGISTRY_JAVA_HOME}, the running JVM, then the JDKs under
 * {@code /usr/lib/jvm} and {@code /opt/java}.
 */
final class JavaRuntime {
    static final String HOME_VARIABLE = "BALLAST_REGISTRY_JAVA_HOME";

    private JavaRuntime() {
    }

    static Path atLeast(int feature) {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv(HOME_VARIABLE)).map(Path::of).ifPresent(candidates::add);
        candidates.add(Path.of(System.getProperty("java.home")));
        for (String root : List.of("/usr/lib/jvm", "/opt/java", "/usr/java")) {
            candidates.addAll(children(Path.of(root)));
        }
        return candidates.stream()
                .filter(home -> Files.isExecutable(home.resolve("bin/java")))
                .filter(home -> featureVersion(home) >= feature)
                .findFirst()
                .orElseThrow(() -> new EmbeddedStartException("the schema registry needs a JDK " + feature
                        + " or newer and none was found; install one (e.g. apt-get install openjdk-21-jre-headless) or set "
                        + HOME_VARIABLE + " to its home"));
    }

    private static List<Path> children(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            // newest first, so that the choice is stable
            return entries.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Reads JAVA_VERSION from the JDK's release file; 0 when it cannot be read. */
    private static int featureVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return home.equals(Path.of(System.getProperty("java.home"))) ? Runtime.version().feature() : 0;
        }
        try (Stream<String> lines = Files.lines(release)) {
            return lines.filter(line -> line.startsWith("JAVA_VERSION="))
                    .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", ""))
                    .map(version -> version.split("[.+-]")[0])
                    .mapToInt(Integer::parseInt)
                    .findFirst()
                    .orElse(0);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
