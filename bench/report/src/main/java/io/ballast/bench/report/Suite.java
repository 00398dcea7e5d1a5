package io.ballast.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The main of one suite JVM: {@code --list} prints its benchmarks' names; otherwise it runs those named by
 * {@code --only} (all without it) at {@code --quick} or full scale with {@code --rounds} interleaved rounds,
 * and writes {@code {"figures": [...], "failures": [...]}} to {@code --out}. A benchmark that fails is
 * reported as a failure and the others still run; the exit status is then 1.
 */
public final class Suite<E extends AutoCloseable> {
    private final String name;
    private final List<Bench<E>> benches;
    private final Supplier<E> environment;

    public Suite(String name, List<Bench<E>> benches, Supplier<E> environment) {
        this.name = name;
        this.benches = List.copyOf(benches);
        this.environment = environment;
    }

    public List<String> names() {
        return benches.stream().map(Bench::name).toList();
    }

    /** Runs as the JVM's main; exits the JVM (Flink and Kafka leave non-daemon threads behind). */
    public void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (Exception e) {
            e.printStackTrace();
            status = 2;
        }
        System.exit(status);
    }

    int run(String[] args) throws Exception {
        Map<String, String> options = options(args);
        if (options.containsKey("list")) {
            names().forEach(System.out::println);
            return 0;
        }
        Scale scale = new Scale(options.containsKey("quick"), Integer.parseInt(options.getOrDefault("rounds", "3")));
        Set<String> only = options.containsKey("only") ? Set.of(options.get("only").split(",")) : Set.copyOf(names());
        List<Map<String, Object>> figures = new ArrayList<>();
        List<Map<String, Object>> failures = new ArrayList<>();
        E env = null;
        try {
            for (Bench<E> bench : benches) {
                if (!only.contains(bench.name())) {
                    continue;
                }
                if (env == null) {
                    env = environment.get();
                }
                progress(name + "/" + bench.name() + ": running");
                long start = System.nanoTime();
                try {
                    for (Figure f : bench.run(env, scale)) {
                        figures.add(f.toJson());
                    }
                    progress(name + "/" + bench.name() + ": done in " + Math.round((System.nanoTime() - start) / 1e9) + " s");
                } catch (Exception | AssertionError e) {
                    e.printStackTrace();
                    failures.add(Map.of("bench", bench.name(), "error", String.valueOf(e)));
                }
            }
        } finally {
            if (env != null) {
                env.close();
            }
        }
        write(Path.of(options.getOrDefault("out", "bench/target/" + name + ".json")), figures, failures);
        return failures.isEmpty() ? 0 : 1;
    }

    private static void write(Path out, List<Map<String, Object>> figures, List<Map<String, Object>> failures) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("figures", figures);
        report.put("failures", failures);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
    }

    /** {@code --key value} and bare {@code --flag}s. */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> list = Arrays.asList(args);
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            boolean flag = i + 1 == list.size() || list.get(i + 1).startsWith("--");
            options.put(arg.substring(2), flag ? "" : list.get(++i));
        }
        return options;
    }

    public static void progress(String what) {
        System.err.println("[bench] " + what);
    }
}
