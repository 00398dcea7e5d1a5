package io.ballast.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.ballast.catalog.TopicDrift;
import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast topics}: the catalog, and how the broker's topics differ from it. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "List the topic catalog and each topic's state on the broker: ok, missing, or its drift.")
final class TopicsCommand implements Callable<Integer> {

    @Option(names = "--create", description = "Create the catalog's missing topics first.")
    boolean create;

    @Mixin
    Endpoints endpoints;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        endpoints.clients().requireReachable(java.time.Duration.ofSeconds(15));
        try (Admin admin = endpoints.clients().admin(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            TopicInitializer initializer = new TopicInitializer(admin, (short) 1);
            if (create) {
                initializer.ensure(Topics.all());
            }
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<TopicSpec> present = Topics.all().stream().filter(t -> existing.contains(t.name())).toList();
            Map<String, List<TopicDrift>> drift = initializer.drift(present).stream()
                    .collect(Collectors.groupingBy(TopicDrift::topic));
            out.printf("%-28s %4s  %-13s %-8s %-9s %-18s %s%n", "TOPIC", "PART", "KEY", "CLEANUP", "RETENTION", "VALUE", "STATE");
            for (TopicSpec t : Topics.all()) {
                String state = !existing.contains(t.name()) ? "missing"
                        : drift.containsKey(t.name()) ? "drift: " + drift.get(t.name()).stream()
                                .map(d -> d.setting() + " " + d.actual() + " (catalog " + d.expected() + ")").collect(Collectors.joining(", "))
                        : "ok";
                out.printf("%-28s %4d  %-13s %-8s %-9s %-18s %s%n", t.name(), t.partitions(),
                        t.keyFields().isEmpty() ? "(original)" : String.join("/", t.keyFields()),
                        t.cleanupPolicy().kafkaValue(), retention(t),
                        t.value() instanceof ValueFormat.Avro a ? a.type().getSimpleName() : "raw bytes", state);
            }
            out.flush();
            boolean allOk = Topics.all().stream().allMatch(t -> existing.contains(t.name())) && drift.isEmpty();
            return allOk ? ExitCodes.OK : ExitCodes.SOME_REFUSED;
        }
    }

    private static String retention(TopicSpec t) {
        if (t.retention() == null) {
            return "forever";
        }
        Duration d = t.retention();
        return d.toHours() % 24 == 0 ? d.toDays() + "d" : d.toHours() + "h";
    }
}
