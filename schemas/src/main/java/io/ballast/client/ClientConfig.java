package io.ballast.client;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.ballast.registry.RegistryConfig;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The one client configuration every Kafka client and registry client of Ballast is built from: the
 * defaults (where {@code ballast up} listens), then a properties file (as Kafka's {@code --command-config}),
 * then flags. Kafka's own keys ({@code bootstrap.servers}, {@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}, ...) pass through to every Kafka client unchanged; {@code registry.url} (or
 * {@code schema.registry.url}) and the registry's credential keys ({@link RegistryConfig#CREDENTIAL_KEYS})
 * configure the registry client.
 *
 * <p>Immutable. {@link #toString()} never shows a secret: {@link #isSecret} keys print as {@code [hidden]}.
 */
public final class ClientConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String REGISTRY_URL = "registry.url";
    /** The registry URL as Confluent's serializers name it; read as {@link #REGISTRY_URL}. */
    public static final String SCHEMA_REGISTRY_URL = RegistryConfig.URL_KEY;
    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    public static final String DEFAULT_REGISTRY = "http://127.0.0.1:8081/apis/ccompat/v7";
    /** The environment variable that names a client configuration file. */
    public static final String CONFIG_ENV = "BALLAST_CONFIG";

    /** Keys each component sets for itself (its group, its transactions, its serdes): never shared by every client. */
    private static final Set<String> PER_COMPONENT = Set.of("group.id", "group.instance.id", "transactional.id", "client.id",
            "key.serializer", "value.serializer", "key.deserializer", "value.deserializer");
    private static final Set<String> KAFKA_KEYS = Stream.of(ProducerConfig.configNames(), ConsumerConfig.configNames(),
            AdminClientConfig.configNames()).flatMap(Set::stream).filter(k -> !PER_COMPONENT.contains(k))
            .collect(Collectors.toUnmodifiableSet());
    private static final Set<String> KAFKA_PASSWORDS = Stream.of(ProducerConfig.configDef(), ConsumerConfig.configDef(),
                    AdminClientConfig.configDef())
            .flatMap(def -> def.configKeys().values().stream())
            .filter(key -> key.type == ConfigDef.Type.PASSWORD).map(key -> key.name).collect(Collectors.toUnmodifiableSet());

    private final TreeMap<String, String> values;

    private ClientConfig(Map<String, String> values) {
        this.values = new TreeMap<>(values);
    }

    /** Where {@code ballast up} listens, with nothing else set. */
    public static ClientConfig defaults() {
        return new ClientConfig(Map.of(BOOTSTRAP_SERVERS, DEFAULT_BOOTSTRAP, REGISTRY_URL, DEFAULT_REGISTRY));
    }

    /** A broker and a registry, nothing else set. */
    public static ClientConfig of(String bootstrapServers, String registryUrl) {
        return defaults().with(BOOTSTRAP_SERVERS, bootstrapServers).with(REGISTRY_URL, registryUrl);
    }

    /** The defaults overlaid with the client keys of a properties file; a key that is no client key is refused, naming the file. */
    public static ClientConfig load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("client configuration " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("client configuration " + file + " cannot be read: " + e.getMessage(), e);
        }
        ClientConfig config = defaults();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (!isClientKey(key)) {
                throw new IllegalArgumentException("client configuration " + file + ": '" + key + "' is not a Kafka client or "
                        + "registry setting (Kafka's producer, consumer and admin keys, registry.url, " + RegistryConfig.CREDENTIAL_KEYS + ")");
            }
            config = config.with(key, properties.getProperty(key).trim());
        }
        return config;
    }

    /**
     * The client configuration a command starts from: {@code file} when given, else the file {@code BALLAST_CONFIG}
     * names in {@code env}, else the defaults.
     */
    public static ClientConfig fromFileOrEnv(Path file, Map<String, String> env) {
        String fromEnv = env.get(CONFIG_ENV);
        Path chosen = file != null ? file : fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
        return chosen == null ? defaults() : load(chosen);
    }

    /** A properties file of client keys, as a component's {@code key=value} settings name it. */
    public static final String CLIENT_CONFIG = "client.config";

    /**
     * Takes the client keys and {@code client.config} out of a component's {@code key=value} settings ({@code given},
     * which must be mutable) and returns the client configuration they make: the defaults, then the file, then the keys.
     */
    public static ClientConfig take(Map<String, String> given) {
        String file = given.remove(CLIENT_CONFIG);
        ClientConfig config = file == null || file.isBlank() ? defaults() : load(Path.of(file));
        for (java.util.Iterator<Map.Entry<String, String>> it = given.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            if (isClientKey(e.getKey())) {
                config = config.with(e.getKey(), e.getValue());
                it.remove();
            }
        }
        return config;
    }

    /**
     * Writes every key to {@code file}, readable by its owner only (it may hold secrets), for a child process to
     * read as {@code client.config}: secrets never travel on a command line, where {@code ps} shows them.
     */
    public Path writeTo(Path file) {
        Properties properties = new Properties();
        properties.putAll(values);
        try {
            java.io.StringWriter text = new java.io.StringWriter();
            properties.store(text, "Ballast client configuration (may hold secrets)");
            return io.ballast.config.SecretFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not write the client configuration to " + file, e);
        }
    }

    /**
     * Whether {@code key} configures a client: a Kafka producer, consumer or admin key (but those each component sets
     * for itself: {@code group.id}, {@code client.id}, {@code transactional.id}, serdes), or a registry key.
     */
    public static boolean isClientKey(String key) {
        return KAFKA_KEYS.contains(key) || isRegistryKey(key);
    }

    private static boolean isRegistryKey(String key) {
        return key.equals(REGISTRY_URL) || key.equals(SCHEMA_REGISTRY_URL) || RegistryConfig.CREDENTIAL_KEYS.contains(key);
    }

    /** Whether the value of {@code key} is a secret: Kafka's password-typed keys and the registry's credentials. */
    public static boolean isSecret(String key) {
        return KAFKA_PASSWORDS.contains(key) || key.equals("basic.auth.user.info") || key.equals("bearer.auth.token")
                || key.contains("password") || key.endsWith(".secret") || key.equals("ssl.keystore.key");
    }

    /** This configuration with one key set (a blank value removes it). */
    public ClientConfig with(String key, String value) {
        if (!isClientKey(key)) {
            throw new IllegalArgumentException("'" + key + "' is not a Kafka client or registry setting");
        }
        Map<String, String> next = new TreeMap<>(values);
        String name = key.equals(SCHEMA_REGISTRY_URL) ? REGISTRY_URL : key;
        if (value == null || value.isBlank()) {
            next.remove(name);
        } else {
            next.put(name, value);
        }
        return new ClientConfig(next);
    }

    /** This configuration with every given key set. */
    public ClientConfig withAll(Map<String, String> settings) {
        ClientConfig config = this;
        for (Map.Entry<String, String> e : settings.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        return config;
    }

    public String bootstrapServers() {
        String servers = values.get(BOOTSTRAP_SERVERS);
        if (servers == null) {
            throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " is not set: give the Kafka brokers, e.g. " + DEFAULT_BOOTSTRAP);
        }
        return servers;
    }

    public String registryUrl() {
        String url = values.get(REGISTRY_URL);
        if (url == null) {
            throw new IllegalArgumentException(REGISTRY_URL + " is not set: give the schema registry, e.g. " + DEFAULT_REGISTRY);
        }
        return url;
    }

    /** The value of a key, or null. */
    public String get(String key) {
        return values.get(key);
    }

    /** The Kafka client keys: what every producer, consumer and admin client starts from. */
    public Map<String, Object> kafka() {
        Map<String, Object> kafka = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!isRegistryKey(k)) {
                kafka.put(k, v);
            }
        });
        return kafka;
    }

    /** The registry client's configuration: the URL and the credentials. */
    public RegistryConfig registry() {
        Map<String, String> credentials = new LinkedHashMap<>();
        for (String key : RegistryConfig.CREDENTIAL_KEYS) {
            if (values.containsKey(key)) {
                credentials.put(key, values.get(key));
            }
        }
        return RegistryConfig.of(registryUrl()).withCredentials(credentials);
    }

    /** The security protocol Kafka clients use ({@code PLAINTEXT} when not set). */
    public String securityProtocol() {
        return values.getOrDefault("security.protocol", "PLAINTEXT");
    }

    /** Every key and value, secrets included: for handing the configuration to a child process or a job, never for printing. */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientConfig other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Every key with its value, secrets as {@code [hidden]}. */
    @Override
    public String toString() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "[hidden]" : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
