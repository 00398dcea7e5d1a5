package io.ballast.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.ballast.registry.RegistryClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one factory of Ballast's Kafka clients: every producer, consumer, admin client, Flink source and sink,
 * Streams app and Connect worker starts from {@link ClientConfig#kafka()} (so {@code security.protocol},
 * {@code sasl.*} and {@code ssl.*} reach all of them), overlaid with what the component needs for its
 * guarantees ({@code acks}, {@code isolation.level}, ...), which the component decides.
 */
public final class KafkaClients {
    private final ClientConfig config;

    public KafkaClients(ClientConfig config) {
        this.config = config;
        requireConsistentSecurity(config);
    }

    public ClientConfig config() {
        return config;
    }

    /** The client configuration's Kafka keys overlaid with the component's {@code settings}. */
    public Map<String, Object> settings(Map<String, ?> settings) {
        Map<String, Object> merged = new HashMap<>(config.kafka());
        merged.putAll(settings);
        return merged;
    }

    /** As {@link #settings}, as {@link Properties} (Flink's connectors, Kafka Streams, Connect take them). */
    public Properties properties(Map<String, ?> settings) {
        Properties properties = new Properties();
        settings(settings).forEach((k, v) -> properties.put(k, v.toString()));
        return properties;
    }

    /**
     * The producer settings of events people and services send ({@code ballast produce}, a service's own
     * producer): acknowledged only when every in-sync replica has them, idempotent (no duplicates or reordering
     * on retry), batched and lz4-compressed; {@code maxMessageBytes} is the target topic's record limit.
     */
    public static Map<String, Object> eventProducerSettings(String clientId, int maxMessageBytes) {
        return Map.of(
                "acks", "all",
                "enable.idempotence", true,
                "linger.ms", 5,
                "batch.size", 256 * 1024,
                "compression.type", "lz4",
                "max.request.size", Math.max(maxMessageBytes, 1024 * 1024),
                "max.block.ms", 15_000,
                "request.timeout.ms", 15_000,
                "delivery.timeout.ms", 30_000,
                "client.id", clientId);
    }

    public Admin admin() {
        return Admin.create(settings(Map.of()));
    }

    public Admin admin(Map<String, ?> settings) {
        return Admin.create(settings(settings));
    }

    public KafkaProducer<byte[], byte[]> producer(Map<String, ?> settings) {
        return new KafkaProducer<>(settings(settings), new ByteArraySerializer(), new ByteArraySerializer());
    }

    public <K, V> KafkaProducer<K, V> producer(Map<String, ?> settings, org.apache.kafka.common.serialization.Serializer<K> keys,
                                               org.apache.kafka.common.serialization.Serializer<V> values) {
        return new KafkaProducer<>(settings(settings), keys, values);
    }

    public KafkaConsumer<byte[], byte[]> consumer(Map<String, ?> settings) {
        return new KafkaConsumer<>(settings(settings), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A registry client with the configuration's URL and credentials. */
    public RegistryClient registry() {
        return RegistryClient.connect(config.registry());
    }

    /**
     * Checks that the brokers answer this configuration within {@code timeout}; if not, throws a
     * {@link KafkaUnreachableException} that names the listener and the setting to fix.
     */
    public void requireReachable(Duration timeout) {
        check(timeout, admin -> admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * Checks that Kafka answers and holds every one of {@code topics}; a missing one is named with what to do.
     */
    public void requireTopics(java.util.Collection<String> topics, Duration timeout) {
        check(timeout, admin -> {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            java.util.Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<String> missing = topics.stream().filter(t -> !existing.contains(t)).sorted().toList();
            if (!missing.isEmpty()) {
                throw new KafkaUnreachableException("Kafka at " + config.bootstrapServers() + " has no topic " + String.join(", ", missing)
                        + ": create the catalog's topics with 'ballast topics --create' (with the same client configuration)", null);
            }
            return null;
        });
    }

    /** A check made with an admin client; its failures explained as {@link #explain} does. */
    @FunctionalInterface
    private interface Check {
        Object run(Admin admin) throws ExecutionException, TimeoutException, InterruptedException;
    }

    private void check(Duration timeout, Check check) {
        int millis = (int) timeout.toMillis();
        try (Admin admin = admin(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis, AdminClientConfig.CLIENT_ID_CONFIG, "ballast-check"))) {
            check.run(admin);
        } catch (ExecutionException e) {
            throw explain(e.getCause());
        } catch (TimeoutException e) {
            throw explain(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnreachableException("interrupted while reaching Kafka at " + config.bootstrapServers(), e);
        }
    }

    /** Why a client of this configuration could not use Kafka, in words that say what to set. */
    public KafkaUnreachableException explain(Throwable failure) {
        String servers = config.bootstrapServers();
        if (failure instanceof AuthenticationException) {
            return new KafkaUnreachableException("Kafka at " + servers + " refused the credentials (" + config.securityProtocol() + ", "
                    + config.get("sasl.mechanism") + "): " + failure.getMessage() + "; check sasl.jaas.config in the client configuration",
                    failure);
        }
        if (failure instanceof AuthorizationException) {
            return new KafkaUnreachableException("Kafka at " + servers + " authenticated this client but refused it: "
                    + failure.getMessage() + "; ask for the ACLs it needs", failure);
        }
        String first = servers.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        ListenerProbe.Listener listener = colon < 0 ? new ListenerProbe.Unknown("no port in " + first)
                : ListenerProbe.probe(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)), Duration.ofSeconds(3));
        return new KafkaUnreachableException("Kafka at " + servers + " did not answer this client (security.protocol="
                + config.securityProtocol() + "): " + advice(first, listener), failure);
    }

    private String advice(String address, ListenerProbe.Listener listener) {
        String protocol = config.securityProtocol();
        boolean sasl = protocol.startsWith("SASL");
        boolean tls = protocol.endsWith("SSL");
        if (listener instanceof ListenerProbe.Sasl wanted) {
            String mechanisms = String.join(", ", wanted.mechanisms());
            return sasl ? "the listener at " + address + " takes SASL (" + mechanisms + ") but did not accept this client in time;"
                    + " check sasl.mechanism and sasl.jaas.config"
                    : "the listener at " + address + " requires SASL authentication (" + mechanisms + "); set security.protocol="
                    + "SASL_PLAINTEXT, sasl.mechanism=" + wanted.mechanisms().get(0) + " and sasl.jaas.config in the client "
                    + "configuration (--config FILE or " + ClientConfig.CONFIG_ENV + ")";
        }
        if (listener instanceof ListenerProbe.Plaintext) {
            return sasl || tls ? "the listener at " + address + " is PLAINTEXT (no TLS, no SASL); set security.protocol=PLAINTEXT"
                    + " or give the address of the " + protocol + " listener"
                    : "the listener at " + address + " is PLAINTEXT and answers, but no broker answered in time; is the cluster up?";
        }
        if (listener instanceof ListenerProbe.Tls) {
            return tls ? "the listener at " + address + " speaks TLS but did not accept this client in time; check the ssl.* and"
                    + " sasl.* settings"
                    : "the listener at " + address + " speaks TLS; set security.protocol=SSL (or SASL_SSL) and"
                    + " ssl.truststore.location / ssl.truststore.password in the client configuration";
        }
        return "nothing usable answers at " + address + " (" + ((ListenerProbe.Unknown) listener).reason() + "); check bootstrap.servers";
    }

    /** Refuses a configuration that no broker could accept, before any client is made. */
    private static void requireConsistentSecurity(ClientConfig config) {
        String protocol = config.securityProtocol();
        if (!List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL").contains(protocol)) {
            throw new IllegalArgumentException("security.protocol '" + protocol + "' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
        }
        String mechanism = config.get("sasl.mechanism") == null ? "GSSAPI" : config.get("sasl.mechanism");
        if (protocol.startsWith("SASL") && !mechanism.equals("GSSAPI") && config.get("sasl.jaas.config") == null) {
            throw new IllegalArgumentException("security.protocol=" + protocol + " with sasl.mechanism=" + mechanism
                    + " needs sasl.jaas.config (e.g. org.apache.kafka.common.security.scram.ScramLoginModule required username=\"...\""
                    + " password=\"...\";) in the client configuration");
        }
    }
}
