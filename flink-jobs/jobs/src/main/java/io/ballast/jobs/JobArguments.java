package io.ballast.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ballast.client.ClientConfig;

/**
 * The arguments every Ballast job main takes: {@code --key value}, {@code --key=value} or {@code key=value}
 * (the first is what {@code flink run} users write, the last what {@code ballast up} passes). Kafka client and
 * registry keys ({@link ClientConfig#isClientKey}) and {@code client.config} (a properties file, read where
 * the job's main runs) make the job's {@link ClientConfig}; the other keys are the job's own.
 */
public final class JobArguments {
    /** A properties file of client keys, read where the job's main runs; the arguments' client keys override it. */
    public static final String CLIENT_CONFIG = ClientConfig.CLIENT_CONFIG;

    private JobArguments() {
    }

    /** The arguments as an ordered map; anything else is refused, naming the argument. */
    public static Map<String, String> parse(String[] args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--")) {
                String body = arg.substring(2);
                int eq = body.indexOf('=');
                if (eq > 0) {
                    given.put(body.substring(0, eq), body.substring(eq + 1));
                } else if (i + 1 < args.length && !body.isEmpty()) {
                    given.put(body, args[++i]);
                } else {
                    throw new IllegalArgumentException("argument " + arg + " has no value: write --key value or key=value");
                }
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are --key value or key=value, got '" + arg + "'");
            }
            given.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return given;
    }

    /**
     * Takes the client keys and {@code client.config} out of {@code given} (which must be mutable) and returns
     * the client configuration they make: the defaults, then the file, then the keys given.
     */
    public static ClientConfig takeClientConfig(Map<String, String> given) {
        return ClientConfig.take(given);
    }
}
