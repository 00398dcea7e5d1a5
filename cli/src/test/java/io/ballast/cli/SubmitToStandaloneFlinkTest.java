package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ballast.catalog.TopicInitializer;
import io.ballast.catalog.Topics;
import io.ballast.embedded.ApicurioRegistry;
import io.ballast.embedded.EmbeddedKafka;
import io.ballast.embedded.junit.ConsumerGroups;
import io.ballast.embedded.junit.WithKafka;
import io.ballast.embedded.junit.WithRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ballast submit} and {@code ballast jobs} against a real standalone Flink session cluster (a JobManager and
 * a TaskManager as separate JVM processes, from Flink's Maven jars): the autoscaler from the job jar decides on the
 * first half of the example trace, is stopped with a savepoint, the second half is produced while it is down, it
 * resumes from the savepoint, and a read_committed reader sees each expected decision exactly once.
 */
@WithKafka
@WithRegistry
class SubmitToStandaloneFlinkTest {
    private static final String SERVICE = "standalone";
    /** Never to be seen in a log: it travels to the job as a client setting, as a password would. */
    private static final String SECRET = "never-log-this-secret-4242";

    @Test
    void submitsStopsWithASavepointAndResumesWithEveryDecisionOnce(EmbeddedKafka kafka, ApicurioRegistry registry, @TempDir Path dir)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicInitializer(admin, (short) 1).ensure(Topics.all());
        }
        List<String> trace = Traces.autoscale(SERVICE);
        Path config = Files.writeString(dir.resolve("client.properties"), "bootstrap.servers=" + kafka.bootstrapServers() + "\n"
                + "registry.url=" + registry.url() + "\n" + "ssl.truststore.password=" + SECRET + "\n");
        // source.idleness stays at its 10 s: shorter, a source slow to its first fetch is taken as idle and the watermark
        // runs ahead of the inputs it has not read yet
        String[] settings = {"--config", config.toString(), "--set", "checkpoint.interval=500ms",
                "--set", "group.id=standalone-test", "--set", "transactional.id.prefix=standalone-test"};

        try (StandaloneFlink flink = StandaloneFlink.start(dir.resolve("flink"))) {
            CliRun submit = CliRun.of(concat(new String[] {"submit", "autoscaler", "--flink", flink.url()}, settings));
            assertEquals(0, submit.exitCode(), submit.err());
            String jobId = submit.out().strip();
            assertTrue(jobId.matches("[0-9a-f]{32}"), submit.out());
            System.out.println("submit: " + submit.err().strip());

            CliRun list = CliRun.of("jobs", "list", "--flink", flink.url());
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith("ballast-autoscaler") && l.contains(jobId) && l.contains(" RUNNING ")),
                    list.out());

            // the first half: policy, status, samples to 00:01:15 -> 2 -> 4 at 00:01:00
            Traces.produce(kafka, registry, dir, "first", trace.subList(0, 14));
            assertEquals(List.of("2->4"), Traces.decisions(kafka, registry, SERVICE, 1));

            CliRun stop = CliRun.of("jobs", "stop", jobId, "--flink", flink.url(), "--dir", dir.resolve("savepoints").toUri().toString());
            assertEquals(0, stop.exitCode(), stop.err());
            String savepoint = stop.out().strip();
            assertTrue(savepoint.contains("savepoint-"), stop.out());

            // the second half arrives while the job is down
            Traces.produce(kafka, registry, dir, "second", trace.subList(14, trace.size()));
            CliRun resume = CliRun.of(concat(new String[] {"jobs", "resume", "autoscaler", "--from-savepoint", savepoint,
                    "--flink", flink.url()}, settings));
            assertEquals(0, resume.exitCode(), resume.err());
            String resumed = resume.out().strip();

            assertEquals(List.of("2->4", "4->2"), Traces.decisions(kafka, registry, SERVICE, 2));
            // every input read and committed at a checkpoint after it: nothing more can come out of them
            ConsumerGroups.awaitCaughtUp(kafka, "standalone-test", List.of(Topics.METRICS_RAW.name()), Duration.ofSeconds(60));
            assertEquals(List.of("2->4", "4->2"), Traces.decisions(kafka, registry, SERVICE, 2), "each decision exactly once");

            CliRun cancel = CliRun.of("jobs", "cancel", resumed, "--flink", flink.url());
            assertEquals(0, cancel.exitCode(), cancel.err());
            assertFalse(flink.logs().contains(SECRET), "a client secret reached the JobManager's or TaskManager's log");
        }
    }

    @Test
    void errorsSayWhatToDo(EmbeddedKafka kafka, ApicurioRegistry registry, @TempDir Path dir) throws Exception {
        CliRun unreachable = CliRun.of("jobs", "list", "--flink", "http://127.0.0.1:" + io.ballast.embedded.FreePort.find());
        assertEquals(2, unreachable.exitCode());
        assertTrue(unreachable.err().contains("Flink does not answer at http://127.0.0.1:"), unreachable.err());
        assertTrue(unreachable.err().contains("Give its REST address with --flink URL"), unreachable.err());
    }



    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
