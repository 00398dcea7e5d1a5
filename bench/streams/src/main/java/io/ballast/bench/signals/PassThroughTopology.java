package io.ballast.bench.signals;

import io.ballast.events.MetricSample;
import io.ballast.registry.RegistryClient;
import io.ballast.serde.EventSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The reference the signals app is measured against: the same input topic through Ballast's serde
 * ({@link EventSerde}, into MetricSample), grouped by its key (the service, no repartition), one aggregate per
 * key (a count) in a RocksDB store, its updates to an output topic; run with the same exactly-once v2 and commit
 * interval as the app.
 */
public final class PassThroughTopology {
    public static final String OUTPUT = "bench.passthrough.counts";

    private PassThroughTopology() {
    }

    public static Topology build(String input, RegistryClient registry) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), EventSerde.of(registry, MetricSample.class)))
                .groupByKey(Grouped.with(Serdes.String(), EventSerde.of(registry, MetricSample.class)))
                .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream()
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }
}
