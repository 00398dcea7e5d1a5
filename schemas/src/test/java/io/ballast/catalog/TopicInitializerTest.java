package io.ballast.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.WithKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

@WithKafka
class TopicInitializerTest {

    @Test
    void createsTheWholeCatalogOnceThenFindsItInSync(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            List<TopicSpec> specs = Topics.all().stream().map(t -> t.withName("init-" + t.name())).toList();
            TopicInitializer initializer = new TopicInitializer(admin, (short) 1);

            TopicReport first = initializer.ensure(specs);
            assertEquals(specs.stream().map(TopicSpec::name).toList(), first.created());
            assertEquals(List.of(), first.existing());

            TopicReport second = initializer.ensure(specs);
            assertEquals(List.of(), second.created());
            assertEquals(specs.size(), second.existing().size());
            assertTrue(second.inSync(), () -> "drift: " + second.drift());
        }
    }

    @Test
    void reportsTheDriftOfAnExistingTopicAndLeavesItAlone(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSpec spec = Topics.POLICIES.withName("drift-policies");
            admin.createTopics(List.of(new NewTopic(spec.name(), 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(Duration.ofHours(1).toMillis()))))).all().get();

            TopicReport report = new TopicInitializer(admin, (short) 1).ensure(List.of(spec));

            assertEquals(List.of(), report.created());
            assertEquals(List.of(
                    new TopicDrift("drift-policies", "partitions", "3", "1"),
                    new TopicDrift("drift-policies", "cleanup.policy", "compact", "delete"),
                    new TopicDrift("drift-policies", "retention.ms", "-1", "3600000"),
                    // unset on the topic, so it inherits the embedded broker's message.max.bytes
                    new TopicDrift("drift-policies", "max.message.bytes", "1048576", "4194304")), report.drift());
            assertEquals(1, admin.describeTopics(List.of(spec.name())).allTopicNames().get().get(spec.name()).partitions().size());
        }
    }
}
