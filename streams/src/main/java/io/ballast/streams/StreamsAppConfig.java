package io.ballast.streams;

import io.ballast.client.ClientConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.ballast.config.Durations;
import io.ballast.signals.LatencyRule;
import io.ballast.signals.WindowSpec;
import io.ballast.signals.app.LagWatch;

/**
 * The Streams apps' configuration: every key, its default and its meaning in {@link #KEYS}; unknown keys
 * and bad values are refused at start-up, naming the key and the value.
 */
public record StreamsAppConfig(ClientConfig clients, Path stateDir, String httpHost, int httpPort,
                               WindowSpec windows, Duration emitEarly, LatencyRule latency, int threads,
                               List<LagWatch> lagWatches, Duration lagInterval, Duration commitInterval, Path apiTokenFile) {

    /** A configuration key. */
    public record Key(String name, String defaultValue, String meaning) {
    }

    public static final List<Key> KEYS = List.of(
            new Key("state.dir", System.getProperty("java.io.tmpdir") + "/ballast-streams", "RocksDB state of both apps"),
            new Key("http.host", "127.0.0.1", "where the views are served, and the application.server other instances forward to"),
            new Key("http.port", "7070", "port of the views' HTTP API"),
            new Key("window.size", "60s", "length of a signal window (event time)"),
            new Key("window.advance", "", "a window starts every this often (hopping); empty = window.size (tumbling)"),
            new Key("window.grace", "10s", "samples up to this late (behind stream time) still count in their window; later ones are dead-lettered"),
            new Key("emit.early", "", "also emit open windows (final=false) at most this often; empty = only when a window closes"),
            new Key("latency.metrics", LatencyRule.DEFAULT.names().pattern(), "gauges whose name matches get p50/p95/p99"),
            new Key("latency.units", "ms,s,us,ns,seconds,milliseconds,microseconds", "gauges in these units get p50/p95/p99"),
            new Key("threads", "1", "stream threads per app"),
            new Key("commit.interval", "1s", "exactly-once commit interval: outputs wait up to this long for their transaction; longer batches more (100ms: 12k samples/s, 1s: 19k on 2 cores)"),
            new Key("lag.watch", "", "consumer groups whose lag is a signal: service:group:topic, comma-separated"),
            new Key("lag.interval", "15s", "how often the watched groups' lag is measured"),
            new Key("api.token.file", "", "the views' API answers only requests with 'Authorization: Bearer <the token in this file>'; "
                    + "empty = no token asked (up gives <data-dir>/api.token)"));

    public StreamsAppConfig {
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("http.port: " + httpPort + " is not a port");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads: at least 1, not " + threads);
        }
        lagWatches = List.copyOf(lagWatches);
    }

    /** Kafka's brokers, from {@link #clients()}. */
    public String bootstrapServers() {
        return clients.bootstrapServers();
    }

    /** The schema registry, from {@link #clients()}. */
    public String registryUrl() {
        return clients.registryUrl();
    }

    /** The keys of {@link #KEYS} over their defaults; client keys and {@code client.config} make {@link #clients()}. */
    public static StreamsAppConfig parse(Map<String, String> settings) {
        Map<String, String> given = new LinkedHashMap<>(settings);
        ClientConfig clients = ClientConfig.take(given);
        Map<String, String> v = new LinkedHashMap<>();
        KEYS.forEach(k -> v.put(k.name(), k.defaultValue()));
        given.forEach((k, value) -> {
            if (!v.containsKey(k)) {
                throw new IllegalArgumentException("unknown key '" + k + "'; known keys: " + KEYS.stream().map(Key::name).toList()
                        + ", client.config and every Kafka client or registry key");
            }
            v.put(k, value);
        });
        Duration size = Durations.parse("window.size", v.get("window.size"));
        Duration advance = v.get("window.advance").isBlank() ? size : Durations.parse("window.advance", v.get("window.advance"));
        WindowSpec windows;
        try {
            windows = new WindowSpec(size, advance, Durations.parse("window.grace", v.get("window.grace")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("window.*: " + e.getMessage(), e);
        }
        Duration early = v.get("emit.early").isBlank() ? null : Durations.parse("emit.early", v.get("emit.early"));
        return new StreamsAppConfig(clients, Path.of(v.get("state.dir")),
                v.get("http.host"), integer("http.port", v.get("http.port")), windows, early,
                new LatencyRule(pattern(v.get("latency.metrics")), Set.of(v.get("latency.units").split(","))),
                integer("threads", v.get("threads")), lagWatches(v.get("lag.watch")),
                Durations.parse("lag.interval", v.get("lag.interval")), Durations.parse("commit.interval", v.get("commit.interval")),
                v.get("api.token.file").isBlank() ? null : Path.of(v.get("api.token.file")));
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a whole number", e);
        }
    }

    private static Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("latency.metrics: '" + regex + "' is not a regular expression: " + e.getDescription(), e);
        }
    }

    private static List<LagWatch> lagWatches(String value) {
        List<LagWatch> watches = new ArrayList<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split(":");
            if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
                throw new IllegalArgumentException("lag.watch: '" + entry + "' is not service:group:topic");
            }
            watches.add(new LagWatch(parts[0], parts[1], parts[2]));
        }
        return watches;
    }
}
