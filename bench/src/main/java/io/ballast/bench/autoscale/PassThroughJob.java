package io.ballast.bench.autoscale;

import java.time.Duration;

import io.ballast.autoscale.SampleValidation;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.client.ClientConfig;
import io.ballast.events.MetricSample;
import io.ballast.jobs.serde.AvroEventTypeInfo;
import io.ballast.jobs.serde.EventTopics;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The reference the autoscaler job is measured against: the same Kafka source (Ballast's validating,
 * dead-lettering deserializer, read_committed), the same event-time watermarks, keyed by service, one RocksDB
 * value per key updated per sample, one output per input through the same exactly-once sink, the same
 * checkpoint interval. What it lacks is the autoscaler's own work.
 */
public final class PassThroughJob {
    public static final TopicSpec OUTPUT = Topics.METRICS_RAW.withName("bench.passthrough");

    private PassThroughJob() {
    }

    public static void build(StreamExecutionEnvironment env, ClientConfig clients, String groupId, Duration checkpointInterval,
                             Duration idleness) {
        env.enableCheckpointing(checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        Duration maxFuture = SampleValidation.DEFAULT_MAX_FUTURE;
        env.fromSource(EventTopics.source(clients, groupId, "bench-passthrough", Topics.METRICS_RAW, MetricSample.class,
                                (sample, clock) -> SampleValidation.check(sample, clock, maxFuture)),
                        EventTopics.<MetricSample>eventTime(Duration.ofSeconds(1), idleness), Topics.METRICS_RAW.name())
                .keyBy(MetricSample::getService)
                .process(new CountPerKey(), new AvroEventTypeInfo<>(MetricSample.class))
                .sinkTo(EventTopics.exactlyOnce(clients, OUTPUT, groupId));
    }

    /** Counts each key's samples in RocksDB and passes every sample on. */
    static final class CountPerKey extends KeyedProcessFunction<String, MetricSample, MetricSample> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext context) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(MetricSample sample, Context context, Collector<MetricSample> out) throws Exception {
            Long seen = count.value();
            count.update(seen == null ? 1 : seen + 1);
            out.collect(sample);
        }
    }
}
