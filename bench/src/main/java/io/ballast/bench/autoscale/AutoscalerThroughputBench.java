package io.ballast.bench.autoscale;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import io.ballast.bench.report.Trickle;
import io.ballast.catalog.Topics;
import io.ballast.jobs.autoscale.AutoscalerJob;
import io.ballast.jobs.autoscale.AutoscalerJobConfig;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The autoscaler job working through a backlog of samples beside {@link PassThroughJob} on the same backlog,
 * interleaved, each run a fresh consumer group on a fresh MiniCluster. The figure is the backlog over the seconds from
 * submission to the commit covering it.
 */
public final class AutoscalerThroughputBench implements Bench<BenchPlatform> {
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    /**
     * Short, so that the watermark follows the samples once the policy and replica sources are read: with the job's
     * default (10 s) a backlog read faster than that is only buffered before the commit the figure ends at, and its
     * evaluations, the work measured here, come after it.
     */
    private static final Duration IDLENESS = Duration.ofSeconds(1);
    private final AtomicInteger runs = new AtomicInteger();
    private org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> trickleRecord;

    @Override
    public String name() {
        return "autoscaler";
    }

    @Override
    public List<Figure> run(BenchPlatform platform, Scale scale) throws Exception {
        Fleet fleet = new Fleet(100, 10);
        int rounds = fleet.roundsFor(scale.pick(80_000, 1_000_000));
        Backlog.write(platform, Topics.POLICIES.name(), fleet.policies());
        Backlog.write(platform, Topics.REPLICAS.name(), fleet.statuses());
        Backlog.write(platform, Topics.METRICS_RAW.name(), fleet.cpuSamples(rounds));
        // the trickle repeats the backlog's first sample: for the autoscaler a late sample (dead-lettered), for the
        // pass-through one more record; either way cheap
        trickleRecord = Backlog.encode(platform, Topics.METRICS_RAW.name(), fleet.cpuSamples(1).subList(0, 1)).get(0);
        platform.createTopic(PassThroughJob.OUTPUT.name(), PassThroughJob.OUTPUT.partitions());
        long samples = (long) rounds * fleet.services() * fleet.instances();
        Interleaved.Pair pair = Interleaved.run(scale.rounds(), () -> autoscaler(platform), () -> passThrough(platform));
        String common = samples + " cpu samples (" + fleet.services() + " services x " + fleet.instances() + " instances, every "
                + Fleet.PERIOD_SECONDS + " s of event time) waiting in ballast.metrics.raw; " + FlinkEnvironments.describe()
                + ", checkpoints every " + CHECKPOINT_INTERVAL.toMillis() + " ms, exactly-once sink; records/s from the job's "
                + "submission to the commit covering the backlog (startup included), one record per partition every 50 ms "
                + "trickling in meanwhile so that the source's fetcher does not hold the commit back (see Trickle)";
        return List.of(new Figure("autoscaler.samplesPerSecond", "samples/s", pair.figure(),
                new Reference("flink.passThrough.recordsPerSecond", pair.reference(), "PassThroughJob: same source, deserializer, "
                        + "watermarks, keyBy(service), one RocksDB value per key, one output per input, same exactly-once sink"),
                Goal.ratioAtLeast(0.5), "AutoscalerJob (sync period 5 s, out-of-orderness 1 s, "
                + "source idleness 1 s so that every bucket but the last is evaluated before the commit); " + common,
                Map.of("backlogSamples", samples)));
    }

    private double autoscaler(BenchPlatform platform) throws Exception {
        String group = "bench-autoscaler-" + runs.incrementAndGet();
        AutoscalerJobConfig config = AutoscalerJobConfig.parse(Map.of("bootstrap.servers", platform.kafka().bootstrapServers(),
                "registry.url", platform.registry().url(), "sync.period", "5s", "out.of.orderness", "1s",
                // no resume grace: the pass-through's watermarks are Flink's idleness (a backlog never resumes from idle anyway)
                "source.idleness", IDLENESS.toSeconds() + "s", "source.resume.grace", "0s", "checkpoint.interval", CHECKPOINT_INTERVAL.toMillis() + "ms",
                "group.id", group, "transactional.id.prefix", group));
        StreamExecutionEnvironment env = FlinkEnvironments.local(platform.directory(group));
        new AutoscalerJob(config, AutoscalerJob.kafka(config)).build(env);
        return measure(platform, env.executeAsync(AutoscalerJob.NAME), group);
    }

    private double passThrough(BenchPlatform platform) throws Exception {
        String group = "bench-passthrough-" + runs.incrementAndGet();
        StreamExecutionEnvironment env = FlinkEnvironments.local(platform.directory(group));
        PassThroughJob.build(env, platform.clientConfig(), group, CHECKPOINT_INTERVAL, IDLENESS);
        return measure(platform, env.executeAsync("bench-passthrough"), group);
    }

    private double measure(BenchPlatform platform, JobClient job, String group) throws Exception {
        try (Trickle trickle = Trickle.start(platform, Topics.METRICS_RAW.name(), Topics.METRICS_RAW.partitions(), trickleRecord.key(),
                trickleRecord.value())) {
            GroupProgress.Result result = GroupProgress.await(platform.clients(), group, List.of(Topics.METRICS_RAW.name()),
                    Duration.ofMinutes(20), () -> job.getJobStatus().get().isGloballyTerminalState()
                            ? "the job is " + job.getJobStatus().get() + " (see the log above)" : null);
            Suite.progress(group + ": " + Math.round(result.perSecond()) + " records/s (" + result.records() + " in "
                    + String.format("%.1f", result.steadySeconds()) + " s after the first commit; " + String.format("%.1f", result.totalSeconds())
                    + " s in all; committed: " + result.steps() + ")");
            return result.perSecond();
        } finally {
            job.cancel().get();
        }
    }
}
