package io.ballast.registry;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.avro.Schema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchemaProvider;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaMetadata;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClientConfig;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClientFactory;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;

/**
 * Ballast's access to a schema registry, over the real Confluent {@code CachedSchemaRegistryClient}
 * (relocated inside Flink's SQL Avro jar). It speaks plain Avro {@link Schema}s and turns the client's
 * failures into {@link RegistryException}s, retrying transient ones a bounded number of times.
 *
 * <p>Thread-safe. Schemas by id are cached for the life of the client: an id never changes meaning.
 */
public final class RegistryClient {
    private static final int HTTP_NOT_FOUND = 404;
    private static final int HTTP_CONFLICT = 409;

    /** How often {@link #reachability()} asks the registry again, so that a client working from its caches still knows. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);
    private static final ExecutorService PROBES = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ballast-registry-probe");
        thread.setDaemon(true);
        return thread;
    });

    private final SchemaRegistryClient client;
    private final RegistryConfig config;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final AtomicReference<RegistryReach> reach = new AtomicReference<>(RegistryReach.UNKNOWN);
    private final AtomicBoolean probing = new AtomicBoolean();

    private RegistryClient(SchemaRegistryClient client, RegistryConfig config) {
        this.client = client;
        this.config = config;
    }

    /** A client for the registry at {@code config.urls()}; nothing is contacted until the first call. */
    public static RegistryClient connect(RegistryConfig config) {
        int timeoutMs = (int) config.requestTimeout().toMillis();
        Map<String, Object> clientConfig = new java.util.HashMap<>(config.credentials());
        clientConfig.put(SchemaRegistryClientConfig.HTTP_CONNECT_TIMEOUT_MS, timeoutMs);
        clientConfig.put(SchemaRegistryClientConfig.HTTP_READ_TIMEOUT_MS, timeoutMs);
        SchemaRegistryClient client = SchemaRegistryClientFactory.newClient(
                config.urls(), config.cacheCapacity(), List.of(new AvroSchemaProvider()), clientConfig, Map.of());
        return new RegistryClient(client, config);
    }

    public RegistryConfig config() {
        return config;
    }

    /** Registers {@code schema} under {@code subject} (or finds it registered) and returns its id. */
    public int register(String subject, Schema schema) {
        AvroSchema parsed = new AvroSchema(schema.toString());
        return call("register a schema under " + subject, subject, () -> client.register(subject, parsed));
    }

    /** The id of {@code schema} under {@code subject}, without registering it. */
    public int idOf(String subject, Schema schema) {
        AvroSchema parsed = new AvroSchema(schema.toString());
        return call("look up a schema under " + subject, subject, () -> client.getId(subject, parsed));
    }

    /** The schema with this global id. */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = call("fetch schema id " + id, null,
                () -> new Schema.Parser().parse(client.getSchemaById(id).canonicalString()));
        schemasById.put(id, schema);
        return schema;
    }

    /** The latest schema of a subject, or empty when the subject does not exist. */
    public Optional<RegisteredSchema> latest(String subject) {
        try {
            SchemaMetadata meta = call("fetch the latest schema of " + subject, subject, () -> client.getLatestSchemaMetadata(subject));
            return Optional.of(new RegisteredSchema(subject, meta.getId(), meta.getVersion(), new Schema.Parser().parse(meta.getSchema())));
        } catch (SchemaNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code schema} could be registered under {@code subject} by its compatibility rule. */
    public boolean isCompatible(String subject, Schema schema) {
        AvroSchema parsed = new AvroSchema(schema.toString());
        try {
            return call("test compatibility under " + subject, subject, () -> client.testCompatibility(subject, parsed));
        } catch (SchemaNotFoundException e) {
            return true; // a new subject takes any schema
        }
    }

    /** Sets the compatibility level of a subject, or the global one when {@code subject} is null. */
    public void setCompatibility(String subject, String level) {
        call("set compatibility " + level, subject, () -> client.updateCompatibility(subject, level));
    }

    /** The compatibility level of a subject, or the global one when {@code subject} is null. */
    public String compatibility(String subject) {
        return call("read compatibility", subject, () -> client.getCompatibility(subject));
    }

    /**
     * Whether the registry answered when last asked: by a call of this client, or by a probe ({@code GET /config},
     * one attempt) that this method starts in the background when the last answer is older than
     * {@link #PROBE_INTERVAL}. Never blocks: a client that has every schema it needs cached still learns that the
     * registry went away, and says so, while it keeps working.
     */
    public RegistryReach reachability() {
        RegistryReach last = reach.get();
        if (last.checkedAt().plus(PROBE_INTERVAL).isBefore(Instant.now()) && probing.compareAndSet(false, true)) {
            try {
                PROBES.execute(this::probe);
            } catch (RuntimeException e) {
                probing.set(false);
            }
        }
        return last;
    }

    private void probe() {
        try {
            client.getCompatibility(null);
            reach.set(RegistryReach.answered(Instant.now()));
        } catch (IOException | RestClientException | RuntimeException e) {
            RegistryException failure = classify("answer a probe", null, 1, System.nanoTime(), e);
            reach.set(failure instanceof RegistryUnavailableException ? RegistryReach.unreachable(Instant.now(), failure.getMessage())
                    : RegistryReach.answered(Instant.now()));
        } finally {
            probing.set(false);
        }
    }

    @FunctionalInterface
    private interface RegistryCall<T> {
        T run() throws IOException, RestClientException;
    }

    private <T> T call(String what, String subject, RegistryCall<T> call) {
        long start = System.nanoTime();
        long backoff = config.initialBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                T result = call.run();
                reach.set(RegistryReach.answered(Instant.now()));
                return result;
            } catch (IOException | RestClientException e) {
                RegistryException failure = classify(what, subject, attempt, start, e);
                if (failure instanceof RegistryUnavailableException) {
                    reach.set(RegistryReach.unreachable(Instant.now(), failure.getMessage()));
                }
                if (!failure.isTransient() || attempt >= config.maxAttempts()) {
                    throw failure;
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(backoff); // retry backoff, bounded by maxAttempts
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException(config.describe(), attempt, elapsedMillis(start), interrupted);
            }
            backoff = Math.min(backoff * 2, RegistryConfig.MAX_BACKOFF.toMillis());
        }
    }

    /** The one place that decides what a registry failure means. */
    private RegistryException classify(String what, String subject, int attempt, long start, Exception e) {
        if (e instanceof RestClientException rest) {
            int status = rest.getStatus();
            if (status == HTTP_CONFLICT) {
                return new IncompatibleSchemaException(subject, rest.getMessage(), rest);
            }
            if (status == HTTP_NOT_FOUND) {
                return new SchemaNotFoundException("could not " + what + ": not found in the registry at "
                        + config.describe() + " (" + rest.getMessage() + ")", rest);
            }
            if (status == 401 || status == 403) {
                String given = config.credentials().isEmpty() ? "no credentials were given" : "the credentials given were refused";
                return new RegistryRequestException("could not " + what + ": the registry at " + config.describe() + " answered "
                        + status + " (" + given + "): set basic.auth.user.info (with basic.auth.credentials.source=USER_INFO) or "
                        + "bearer.auth.token (with bearer.auth.credentials.source=STATIC_TOKEN) in the client configuration", rest);
            }
            if (status >= 500 || status == 429) {
                return new RegistryUnavailableException(config.describe(), attempt, elapsedMillis(start), rest);
            }
            return new RegistryRequestException("could not " + what + ": the registry at " + config.describe()
                    + " answered " + status + " (" + rest.getMessage() + ")", rest);
        }
        return new RegistryUnavailableException(config.describe(), attempt, elapsedMillis(start), e);
    }

    private static long elapsedMillis(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
