package io.ballast.bench;

import java.util.List;

import io.ballast.bench.report.BenchPlatform;
import io.ballast.bench.report.Suite;
import io.ballast.bench.signals.SignalsThroughputBench;
import io.ballast.bench.store.AppendBench;
import io.ballast.bench.store.ArchiveBench;
import io.ballast.bench.store.ReplayBench;

/**
 * The benchmarks that run on Kafka Streams' class path (its rocksdbjni is the event store's): the store's
 * appends, archive and replay, then the signals app. The archive runs first: the store's ingest reads every
 * {@code ballast.*} topic, and the signals benchmark fills ballast.metrics.raw.
 */
public final class StreamsSuite {
    private StreamsSuite() {
    }

    public static void main(String[] args) {
        new Suite<>("streams", List.of(new ArchiveBench(), new AppendBench(), new ReplayBench(), new SignalsThroughputBench()),
                BenchPlatform::start).main(args);
    }
}
