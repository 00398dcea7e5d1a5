package io.ballast.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach the schema registry. Any registry serving the Confluent API works: Confluent, Apicurio
 * (at {@code /apis/ccompat/v7}), Karapace; {@code mock://scope} gives the client's in-memory registry.
 *
 * @param urls base URLs of the registry
 * @param cacheCapacity schemas cached per subject by the client
 * @param autoRegister whether serializers register a schema they do not find
 * @param maxAttempts attempts of a call that fails transiently (registry down, 5xx), at least 1
 * @param initialBackoff wait after the first transient failure; doubles each attempt up to {@link #MAX_BACKOFF}
 * @param requestTimeout the HTTP connect and read timeout of one attempt
 * @param credentials the Confluent client's authentication settings ({@link #CREDENTIAL_KEYS}); never printed
 */
public record RegistryConfig(
        List<String> urls,
        int cacheCapacity,
        boolean autoRegister,
        int maxAttempts,
        Duration initialBackoff,
        Duration requestTimeout,
        Map<String, String> credentials) {

    /** Config key for the registry URL(s), comma-separated, as Confluent serializers name it. */
    public static final String URL_KEY = "schema.registry.url";
    /** Config key for auto-registration. */
    public static final String AUTO_REGISTER_KEY = "auto.register.schemas";
    /** The longest wait between two attempts. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    /**
     * The authentication settings the registry client takes, named as Confluent's clients name them: HTTP basic
     * ({@code basic.auth.credentials.source=USER_INFO}, {@code basic.auth.user.info=user:password}) or a bearer
     * token ({@code bearer.auth.credentials.source=STATIC_TOKEN}, {@code bearer.auth.token}).
     */
    public static final List<String> CREDENTIAL_KEYS = List.of("basic.auth.credentials.source", "basic.auth.user.info",
            "bearer.auth.credentials.source", "bearer.auth.token", "bearer.auth.logical.cluster", "bearer.auth.identity.pool.id");

    public RegistryConfig {
        urls = List.copyOf(Objects.requireNonNull(urls, "urls"));
        credentials = Map.copyOf(Objects.requireNonNull(credentials, "credentials"));
        for (String key : credentials.keySet()) {
            if (!CREDENTIAL_KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown registry credential setting '" + key + "'; known: " + CREDENTIAL_KEYS);
            }
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(URL_KEY + " is empty: give the registry's base URL, e.g. http://127.0.0.1:8081/apis/ccompat/v7");
        }
        for (String url : urls) {
            if (!(url.startsWith("http://") || url.startsWith("https://") || url.startsWith("mock://"))) {
                throw new IllegalArgumentException(URL_KEY + " '" + url + "' must start with http://, https:// or mock://");
            }
        }
        if (cacheCapacity < 1) {
            throw new IllegalArgumentException("registry cache capacity must be >= 1, was " + cacheCapacity);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("registry max attempts must be >= 1, was " + maxAttempts);
        }
    }

    /** Defaults for one registry URL: auto-register on, 5 attempts from 100 ms, 5 s per request. */
    public static RegistryConfig of(String url) {
        return new RegistryConfig(List.of(url.split(",")), 1000, true, 5, Duration.ofMillis(100), Duration.ofSeconds(5), Map.of());
    }

    /** Reads {@link #URL_KEY} and {@link #AUTO_REGISTER_KEY} from Kafka-style client configs. */
    public static RegistryConfig fromClientConfigs(Map<String, ?> configs) {
        Object url = configs.get(URL_KEY);
        if (url == null) {
            throw new IllegalArgumentException("missing " + URL_KEY + ": the serde needs the schema registry's URL");
        }
        Map<String, String> credentials = new java.util.HashMap<>();
        for (String key : CREDENTIAL_KEYS) {
            if (configs.get(key) != null) {
                credentials.put(key, configs.get(key).toString());
            }
        }
        RegistryConfig config = of(url.toString()).withCredentials(credentials);
        Object auto = configs.get(AUTO_REGISTER_KEY);
        return auto == null ? config : config.withAutoRegister(Boolean.parseBoolean(auto.toString()));
    }

    public RegistryConfig withAutoRegister(boolean value) {
        return new RegistryConfig(urls, cacheCapacity, value, maxAttempts, initialBackoff, requestTimeout, credentials);
    }

    public RegistryConfig withRetries(int attempts, Duration backoff) {
        return new RegistryConfig(urls, cacheCapacity, autoRegister, attempts, backoff, requestTimeout, credentials);
    }

    public RegistryConfig withRequestTimeout(Duration timeout) {
        return new RegistryConfig(urls, cacheCapacity, autoRegister, maxAttempts, initialBackoff, timeout, credentials);
    }

    public RegistryConfig withCredentials(Map<String, String> settings) {
        return new RegistryConfig(urls, cacheCapacity, autoRegister, maxAttempts, initialBackoff, requestTimeout, settings);
    }

    /** Never prints the credentials, only which settings are there. */
    @Override
    public String toString() {
        return "RegistryConfig[urls=" + urls + ", autoRegister=" + autoRegister + ", maxAttempts=" + maxAttempts
                + ", credentials=" + new java.util.TreeSet<>(credentials.keySet()) + "]";
    }

    /** The URLs as one string, for messages. */
    public String describe() {
        return String.join(",", urls);
    }
}
