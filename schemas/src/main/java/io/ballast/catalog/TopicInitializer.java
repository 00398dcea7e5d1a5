package io.ballast.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Creates the catalog's missing topics and reports how existing ones drift from it. Idempotent: run it
 * at every start. It never alters an existing topic.
 */
public final class TopicInitializer {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final short replicationFactor;

    /**
     * @param admin the admin client of the target cluster
     * @param replicationFactor replicas of each created topic (1 on a single broker)
     */
    public TopicInitializer(Admin admin, short replicationFactor) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
    }

    /** Creates what is missing among {@code specs}, waits until every partition has a leader, and reports drift. */
    public TopicReport ensure(Collection<TopicSpec> specs) throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<String> created = new ArrayList<>();
            List<String> present = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (existing.contains(spec.name())) {
                    present.add(spec.name());
                } else if (create(spec)) {
                    created.add(spec.name());
                } else {
                    present.add(spec.name());
                }
            }
            awaitWritable(admin, created);
            List<TopicSpec> toCheck = specs.stream().filter(s -> present.contains(s.name())).toList();
            return new TopicReport(created, present, drift(toCheck));
        } catch (ExecutionException e) {
            throw new TopicSetupException("topic set-up failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The drift of the given (existing) topics from the catalog, without creating anything. */
    public List<TopicDrift> drift(Collection<TopicSpec> specs) throws InterruptedException, ExecutionException {
        if (specs.isEmpty()) {
            return List.of();
        }
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
        Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList()).all().get();
        List<TopicDrift> drift = new ArrayList<>();
        for (TopicSpec spec : specs) {
            int partitions = descriptions.get(spec.name()).partitions().size();
            if (partitions != spec.partitions()) {
                drift.add(new TopicDrift(spec.name(), "partitions", Integer.toString(spec.partitions()), Integer.toString(partitions)));
            }
            Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            spec.configs().forEach((key, expected) -> {
                ConfigEntry entry = actual.get(key);
                String value = entry == null ? "(unset)" : entry.value();
                if (!expected.equals(value)) {
                    drift.add(new TopicDrift(spec.name(), key, expected, value));
                }
            });
        }
        return drift;
    }

    private boolean create(TopicSpec spec) throws InterruptedException, ExecutionException {
        NewTopic topic = new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(spec.configs());
        try {
            admin.createTopics(List.of(topic)).all().get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false; // another initializer won the race: fine
            }
            throw e;
        }
    }

    /**
     * Waits until every partition of {@code topics} (just created) takes writes: a leader in the metadata, and the
     * leader serving a leader-only request (ListOffsets) for it. Producing earlier can meet NOT_LEADER_OR_FOLLOWER on
     * a partition's first batch while later in-flight batches are taken; an idempotent producer then retries the
     * first one against a sequence that moved on (OUT_OF_ORDER_SEQUENCE_NUMBER) until its delivery timeout — seen
     * with a replay to a new topic on a busy broker.
     */
    public static void awaitWritable(Admin admin, Collection<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Set<String> pending = Set.copyOf(topics);
        while (!pending.isEmpty()) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(pending).allTopicNames().get();
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                described.values().forEach(d -> d.partitions().forEach(p -> partitions.put(new TopicPartition(d.name(), p.partition()),
                        OffsetSpec.latest())));
                boolean leaders = described.values().stream().allMatch(d -> d.partitions().stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (leaders) {
                    admin.listOffsets(partitions).all().get();
                    pending = Set.of();
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
            }
            if (!pending.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new TopicSetupException("topics do not take writes after " + READY_TIMEOUT + ": " + pending, null);
                }
                TimeUnit.MILLISECONDS.sleep(50); // metadata propagation poll
            }
        }
    }
}
