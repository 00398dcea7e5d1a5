package io.ballast.jobs.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.catalog.ValueFormat;
import io.ballast.autoscale.Input;
import io.ballast.events.LateScalingInput;
import io.ballast.events.MetricSample;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingDecision;
import io.ballast.events.ScalingPolicy;
import io.ballast.jobs.CollectingSink;
import io.ballast.jobs.RocksDbMiniCluster;
import io.ballast.jobs.state.ReadInputTypeInfo;
import io.ballast.json.EnvelopeDefaults;
import io.ballast.json.JsonToAvro;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.function.SerializableFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autoscaler's very pipeline (the one the job jar and {@code ballast up} run on Kafka) driven by bounded
 * sources of the example trace and collecting sinks, on a RocksDB MiniCluster: the decisions are the trace's.
 */
class AutoscalerPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = RocksDbMiniCluster.extension();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void boundedSourcesOfTheExampleTraceGiveItsTwoDecisions(@TempDir Path checkpoints) throws Exception {
        List<String> trace = Files.readAllLines(Path.of("..", "..", "examples", "autoscale", "trace.ndjson"));
        CollectingSink<ScalingDecision> decisions = new CollectingSink<>("pipeline-decisions");
        CollectingSink<RejectedInput> rejected = new CollectingSink<>("pipeline-rejected");
        CollectingSink<LateScalingInput> late = new CollectingSink<>("pipeline-late");
        AutoscalerJob.Io io = new AutoscalerJob.Io(bounded(trace, Topics.POLICIES, ScalingPolicy.class, "maxReplicas", Input::of),
                bounded(trace, Topics.REPLICAS, ReplicaStatus.class, "currentReplicas", Input::of),
                bounded(trace, Topics.METRICS_RAW, MetricSample.class, "\"metric\"", Input::of), decisions, late, rejected);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RocksDbMiniCluster.jobConfiguration(checkpoints));
        new AutoscalerJob(AutoscalerJobConfig.parse(Map.of()), io).build(env);
        env.execute("autoscaler-on-bounded-sources");

        assertEquals(List.of("2->4 at 2026-01-01T00:01:00Z", "4->2 at 2026-01-01T00:03:45Z"), decisions.collected().stream()
                .map(d -> d.getCurrentReplicas() + "->" + d.getDesiredReplicas() + " at " + d.getEvaluatedAt()).toList());
        assertEquals(List.of(), rejected.collected());
        assertEquals(List.of(), late.collected());
    }

    /** The trace's lines of one type, as the inputs the topic's decoder would give (not read from Kafka: no position), in a bounded source. */
    private static <T extends SpecificRecord> DataGeneratorSource<ReadInput> bounded(List<String> trace, TopicSpec topic, Class<T> type,
                                                                                     String marker, SerializableFunction<T, Input> toInput) throws Exception {
        Schema schema = ((ValueFormat.Avro) topic.value()).schema();
        EnvelopeDefaults defaults = new EnvelopeDefaults("pipeline-test", Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), UUID::randomUUID);
        ArrayList<T> events = new ArrayList<>();
        for (String line : trace) {
            if (line.contains(marker)) {
                ObjectNode json = (ObjectNode) JSON.readTree(line);
                events.add(specific(JsonToAvro.read(defaults.fill(json, topic, schema), schema), type));
            }
        }
        return new DataGeneratorSource<>(index -> new ReadInput(toInput.apply(events.get(index.intValue())), null), events.size(),
                new ReadInputTypeInfo());
    }

    /** The generic record as the generated class, through Avro binary (as a decoder would give it). */
    private static <T extends SpecificRecord> T specific(org.apache.avro.generic.GenericRecord record, Class<T> type) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
        new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return new org.apache.avro.specific.SpecificDatumReader<>(type).read(null,
                org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }
}
