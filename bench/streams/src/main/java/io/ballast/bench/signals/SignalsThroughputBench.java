package io.ballast.bench.signals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import io.ballast.bench.report.Backlog;
import io.ballast.bench.report.Bench;
import io.ballast.bench.report.BenchPlatform;
import io.ballast.bench.report.Figure;
import io.ballast.bench.report.Fleet;
import io.ballast.bench.report.Goal;
import io.ballast.bench.report.GroupProgress;
import io.ballast.bench.report.Interleaved;
import io.ballast.bench.report.Reference;
import io.ballast.bench.report.Scale;
import io.ballast.bench.report.Suite;
import io.ballast.catalog.Topics;
import io.ballast.signals.LatencyRule;
import io.ballast.signals.WindowSpec;
import io.ballast.signals.app.SignalsSettings;
import io.ballast.signals.app.SignalsTopology;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The signals app working through a backlog of cpu gauges and request counters beside
 * {@link PassThroughTopology} on the same backlog, interleaved, each run a fresh application id and state
 * directory; the backlog over the seconds from start to the commit covering it.
 */
public final class SignalsThroughputBench implements Bench<BenchPlatform> {
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
    private final AtomicInteger runs = new AtomicInteger();

    @Override
    public String name() {
        return "signals";
    }

    @Override
    public List<Figure> run(BenchPlatform platform, Scale scale) throws Exception {
        Fleet fleet = new Fleet(100, 10);
        int rounds = fleet.roundsFor(scale.pick(60_000, 600_000));
        Backlog.write(platform, Topics.METRICS_RAW.name(), fleet.cpuAndRequestSamples(rounds));
        platform.createTopic(PassThroughTopology.OUTPUT, 6);
        long samples = 2L * rounds * fleet.services() * fleet.instances();
        SignalsSettings settings = new SignalsSettings(Topics.METRICS_RAW.name(), Topics.SIGNALS.name(), Topics.DLQ.name(),
                new WindowSpec(Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofSeconds(10)), null, LatencyRule.DEFAULT);
        // the first app of a run works through the backlog while the JIT is still compiling its path (105-117k
        // samples/s against 150-200k in the rounds after it, three runs); the quick run keeps its minutes
        int warmups = scale.pick(0, 1);
        Interleaved.Pair pair = Interleaved.run(warmups, scale.rounds(),
                () -> measure(platform, "bench-signals-" + runs.incrementAndGet(), SignalsTopology.build(settings, platform.registryClient())),
                () -> measure(platform, "bench-passthrough-" + runs.incrementAndGet(),
                        PassThroughTopology.build(Topics.METRICS_RAW.name(), platform.registryClient())));
        String common = samples + " samples (cpu gauge and request counter per instance, " + fleet.services() + " services x "
                + fleet.instances() + " instances, every " + Fleet.PERIOD_SECONDS + " s of event time) waiting in ballast.metrics.raw "
                + "(6 partitions); exactly_once_v2, commit.interval " + COMMIT_INTERVAL.toMillis() + " ms, 1 stream thread; records/s "
                + "from the app's start to the commit covering the backlog (startup included)" + (warmups > 0 ? ", after " + warmups
                + " unreported warm-up round of each" : "");
        return List.of(new Figure("signals.samplesPerSecond", "samples/s", pair.figure(),
                new Reference("streams.passThrough.recordsPerSecond", pair.reference(), "PassThroughTopology: EventSerde into "
                        + "MetricSample, groupByKey, count() in RocksDB, updates to a topic; " + common),
                Goal.ratioAtLeast(0.5), "SignalsTopology (screen, 60 s tumbling windows, grace 10 s, suppression until close); " + common,
                Map.of("backlogSamples", samples)));
    }

    private static double measure(BenchPlatform platform, String applicationId, Topology topology) throws Exception {
        Properties p = platform.clients().properties(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.STATE_DIR_CONFIG, platform.directory(applicationId).toString(),
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL.toMillis(),
                StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest"));
        try (KafkaStreams app = new KafkaStreams(topology, p)) {
            app.start();
            GroupProgress.Result result = GroupProgress.await(platform.clients(), applicationId, List.of(Topics.METRICS_RAW.name()),
                    Duration.ofMinutes(20), () -> app.state() == KafkaStreams.State.ERROR || app.state() == KafkaStreams.State.NOT_RUNNING
                            ? "the app is " + app.state() + " (see the log above)" : null);
            Suite.progress(applicationId + ": " + Math.round(result.perSecond()) + " records/s (" + result.records() + " in "
                    + String.format("%.1f", result.steadySeconds()) + " s after the first commit; "
                    + String.format("%.1f", result.totalSeconds()) + " s in all)");
            return result.perSecond();
        }
    }
}
