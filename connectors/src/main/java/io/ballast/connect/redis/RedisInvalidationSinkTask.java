package io.ballast.connect.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.ballast.cache.RedisScript;
import io.ballast.deadletter.DeadLetterPublisher;
import io.ballast.deadletter.DeadLetterReason;
import io.ballast.events.CacheInvalidation;
import io.ballast.events.InvalidatedKey;
import io.ballast.events.InvalidatedTag;
import io.ballast.registry.RegistryClient;
import io.ballast.registry.RegistryConfig;
import io.ballast.registry.RegistryUnavailableException;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.UndecodableRecordException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.errors.ConnectException;
import io.ballast.supervise.Backoff;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Applies a batch of invalidations to Redis, one script run per invalidation, pipelined (each atomic; the
 * batch need not be: invalidations are idempotent and redelivered after a failure). Undecodable records and ones that
 * are not invalidations go to ballast.dlq with the reason; Redis or registry outages are retried.
 */
public final class RedisInvalidationSinkTask extends SinkTask {
    public static final String NAME = "ballast-redis-sink";
    static final String BYTES_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";
    private static final Logger LOG = LoggerFactory.getLogger(RedisInvalidationSinkTask.class);
    private RedisSinkConfig config;
    private JedisPooled redis;
    private EventDecoder<CacheInvalidation> decoder;
    private DeadLetterPublisher deadLetters;
    /** Redis down: 100 ms, doubling to 10 s between tries of the same batch. */
    private static final Backoff BACKOFF = new Backoff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(10));
    private int consecutiveFailures;

    @Override
    public void start(Map<String, String> props) {
        config = new RedisSinkConfig(props);
        redis = new JedisPooled(config.redisUri());
        try {
            if (config.requireSafeEviction()) {
                EvictionPolicy.requireSafe(redis);
            }
            RedisScript.INVALIDATE.load(redis);
        } catch (JedisConnectionException e) {
            throw new RetriableException("Redis at " + config.redisUri() + " does not answer: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new ConnectException(e.getMessage(), e);
        }
        io.ballast.client.KafkaClients clients = new io.ballast.client.KafkaClients(config.clients());
        decoder = EventDecoder.specific(clients.registry(), CacheInvalidation.class);
        deadLetters = DeadLetterPublisher.create(clients, NAME);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        List<CacheInvalidation> invalidations = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            decode(record).ifPresent(invalidations::add);
        }
        try {
            apply(invalidations);
        } catch (JedisConnectionException e) {
            // Connect hands the same batch back after the timeout: back off while Redis stays away, and say so
            consecutiveFailures++;
            long wait = BACKOFF.delay(consecutiveFailures).toMillis();
            context.timeout(wait);
            LOG.warn("Redis at {} does not answer ({}); the {} invalidations are applied when it does, next try in {} ms (try {})",
                    config.redisUri(), e.getMessage(), invalidations.size(), wait, consecutiveFailures);
            throw new RetriableException("Redis at " + config.redisUri() + " does not answer: " + e.getMessage(), e);
        }
        if (consecutiveFailures > 0) {
            LOG.info("Redis at {} answers again after {} tries; the invalidations held back are applied", config.redisUri(),
                    consecutiveFailures);
            consecutiveFailures = 0;
        }
    }

    /**
     * Runs the script once per invalidation in one pipeline (one round trip per batch; each run is still
     * atomic). If the server lost the script, it is loaded again and the batch re-run: runs are idempotent.
     */
    private void apply(List<CacheInvalidation> invalidations) {
        if (invalidations.isEmpty()) {
            return;
        }
        String sha = RedisScript.INVALIDATE.sha(redis);
        List<Response<Object>> responses = new ArrayList<>(invalidations.size());
        try (Pipeline pipeline = redis.pipelined()) {
            for (CacheInvalidation invalidation : invalidations) {
                responses.add(pipeline.evalsha(sha, List.of(), arguments(invalidation, config.tombstoneTtlMs())));
            }
            pipeline.sync();
        }
        try {
            responses.forEach(Response::get);
        } catch (JedisNoScriptException e) {
            RedisScript.INVALIDATE.load(redis);
            apply(invalidations);
        }
    }

    private Optional<CacheInvalidation> decode(SinkRecord record) {
        if (!(record.value() instanceof byte[] value)) {
            deadLetter(record, null, new DeadLetterReason("NOT_BYTES", "the value is "
                    + (record.value() == null ? "null (a tombstone record)" : "a " + record.value().getClass().getName())
                    + "; an invalidation is Avro bytes: configure value.converter=" + BYTES_CONVERTER));
            return Optional.empty();
        }
        try {
            return Optional.of(decoder.decode(record.topic(), record.kafkaPartition(), record.kafkaOffset(), value));
        } catch (UndecodableRecordException e) {
            deadLetter(record, value, DeadLetterReason.of(e));
            return Optional.empty();
        } catch (RegistryUnavailableException e) {
            throw new RetriableException("the schema registry does not answer: " + e.getMessage(), e);
        }
    }

    private void deadLetter(SinkRecord record, byte[] value, DeadLetterReason reason) {
        byte[] key = record.key() instanceof byte[] k ? k : record.key() == null ? null : record.key().toString().getBytes(StandardCharsets.UTF_8);
        deadLetters.send(record.topic(), record.kafkaPartition(), record.kafkaOffset(), record.timestamp() == null ? -1 : record.timestamp(),
                key, value, new RecordHeaders(), reason);
        LOG.warn("dead-lettered {}-{}@{}: {} {}", record.topic(), record.kafkaPartition(), record.kafkaOffset(), reason.code(),
                reason.message());
    }

    /** The invalidate.lua arguments of an invalidation. */
    static List<String> arguments(CacheInvalidation invalidation, long tombstoneTtlMs) {
        List<String> args = new ArrayList<>();
        args.add(invalidation.getEntity());
        args.add(Long.toString(invalidation.getVersion()));
        args.add(Long.toString(tombstoneTtlMs));
        args.add(Integer.toString(invalidation.getKeys().size()));
        for (InvalidatedKey key : invalidation.getKeys()) {
            args.add(key.getKey());
            args.add(Long.toString(key.getVersion()));
        }
        args.add(Integer.toString(invalidation.getTags().size()));
        for (InvalidatedTag tag : invalidation.getTags()) {
            args.add(tag.getTag());
            args.add(Long.toString(tag.getVersion()));
        }
        return args;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        // dead letters are on the broker before the offsets that skip them are committed
        deadLetters.flush();
        return offsets;
    }

    @Override
    public void stop() {
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    public String version() {
        return "0.1.0";
    }
}
