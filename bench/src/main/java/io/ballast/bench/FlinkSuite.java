package io.ballast.bench;

import java.util.List;

import io.ballast.bench.autoscale.AutoscalerThroughputBench;
import io.ballast.bench.autoscale.DecisionLatencyBench;
import io.ballast.bench.invalidate.CacheLatencyBench;
import io.ballast.bench.invalidate.InvalidatorThroughputBench;
import io.ballast.bench.kafka.ConsumeBench;
import io.ballast.bench.kafka.ProduceBench;
import io.ballast.bench.rebalance.PlanningTimeBench;
import io.ballast.bench.report.BenchPlatform;
import io.ballast.bench.report.Suite;

/** The benchmarks that run on Flink's class path (the jobs, and the Kafka client figures). */
public final class FlinkSuite {
    private FlinkSuite() {
    }

    public static void main(String[] args) {
        new Suite<>("flink", List.of(new ProduceBench(), new ConsumeBench(), new AutoscalerThroughputBench(), new PlanningTimeBench(),
                new InvalidatorThroughputBench(), new CacheLatencyBench(), new DecisionLatencyBench()), BenchPlatform::start)
                .main(args);
    }
}
