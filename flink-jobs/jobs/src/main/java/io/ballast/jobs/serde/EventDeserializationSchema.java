package io.ballast.jobs.serde;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.deadletter.DeadLetterPublisher;
import io.ballast.deadletter.DeadLetterReason;
import io.ballast.registry.RegistryClient;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.UndecodableRecordException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads Ballast events from Kafka in a Flink job. A record that cannot be decoded goes to the
 * dead-letter topic with the reason and the job carries on; a registry that cannot be reached fails
 * the task (transient: the job restarts from its checkpoint and reads the record again).
 */
public final class EventDeserializationSchema<T extends SpecificRecord> implements KafkaRecordDeserializationSchema<T> {
    private static final long serialVersionUID = 1L;
    /**
     * One dead-letter producer per job and broker in a TaskManager, shared by its readers and surviving task
     * restarts. This class lives in the job's class loader, so the map is the job's; the loader's release
     * hook closes them when the job leaves the TaskManager (the schema itself has no close).
     */
    private static final Map<String, DeadLetterPublisher> PUBLISHERS = new ConcurrentHashMap<>();
    private static final String RELEASE_HOOK = "ballast-dead-letter-publishers";
    /** The gauge of each source: 1 while the registry answers, 0 while the job decodes from its cached schemas alone. */
    public static final String REGISTRY_REACHABLE = "registryReachable";

    private final Class<T> type;
    private final ClientConfig clients;
    private final String jobName;
    private final EventValidator<T> validator;
    private transient EventDecoder<T> decoder;
    private transient DeadLetterPublisher deadLetters;

    /**
     * @param type the generated event class
     * @param clients the registry, and the brokers the dead-letter topic is on
     * @param jobName names the job in the dead letters' {@code failed.by} header
     */
    public EventDeserializationSchema(Class<T> type, ClientConfig clients, String jobName) {
        this(type, clients, jobName, EventValidator.none());
    }

    /** As above, and events breaking the validator's rules are dead-lettered too. */
    public EventDeserializationSchema(Class<T> type, ClientConfig clients, String jobName, EventValidator<T> validator) {
        this.validator = validator;
        this.type = type;
        this.clients = clients;
        this.jobName = jobName;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        context.getUserCodeClassLoader().registerReleaseHookIfAbsent(RELEASE_HOOK, EventDeserializationSchema::closePublishers);
        RegistryClient registry = RegistryClient.connect(clients.registry());
        decoder = EventDecoder.specific(registry, type);
        // the job decodes from cached schemas while the registry is away; this gauge says whether it is (1) or not (0)
        context.getMetricGroup().gauge(REGISTRY_REACHABLE, (Gauge<Integer>) () -> registry.reachability().reachable() ? 1 : 0);
        deadLetters = PUBLISHERS.computeIfAbsent(clients.hashCode() + "|" + clients.bootstrapServers() + "|" + jobName,
                key -> DeadLetterPublisher.create(new KafkaClients(clients), jobName));
    }

    /** Closes every dead-letter producer of this class loader (run when the job's class loader is released). */
    static void closePublishers() {
        for (String key : List.copyOf(PUBLISHERS.keySet())) {
            DeadLetterPublisher publisher = PUBLISHERS.remove(key);
            if (publisher != null) {
                publisher.close();
            }
        }
    }

    static int openPublishers() {
        return PUBLISHERS.size();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) throws IOException {
        T event;
        try {
            event = decoder.decode(record);
        } catch (UndecodableRecordException e) {
            deadLetter(record, DeadLetterReason.of(e));
            return;
        }
        if (event == null) {
            return;
        }
        List<String> violations = validator.violations(event, Instant.now());
        if (!violations.isEmpty()) {
            deadLetter(record, new DeadLetterReason("INVALID_EVENT", String.join("; ", violations)));
            return;
        }
        out.collect(event);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason) throws IOException {
        try {
            // waits for the ack: a dead letter must be stored before the offset moves past it
            deadLetters.send(record, reason).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while dead-lettering " + record.topic() + "-" + record.partition() + "@" + record.offset(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("could not dead-letter " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return new AvroEventTypeInfo<>(type);
    }
}
