package io.ballast.jobs.autoscale;

import java.time.Duration;
import java.util.Map;

import io.ballast.autoscale.Input;
import io.ballast.autoscale.PolicyValidation;
import io.ballast.autoscale.SampleValidation;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.events.MetricSample;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingDecision;
import io.ballast.events.ScalingPolicy;
import io.ballast.jobs.JobArguments;
import io.ballast.jobs.serde.AvroEventTypeInfo;
import io.ballast.jobs.serde.EventTopics;
import io.ballast.jobs.serde.EventValidator;
import io.ballast.jobs.state.InputTypeInfo;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The autoscaler job: policies, replica statuses and metric samples in (validated, bad ones
 * dead-lettered), keyed by service, evaluated by {@link AutoscalerFunction} on event-time timers every
 * sync period, decisions out to ballast.decisions.scaling through an exactly-once (transactional) sink.
 * Run it with {@code key=value} arguments (see {@link AutoscalerJobConfig#KEYS}).
 */
public final class AutoscalerJob {
    public static final String NAME = "ballast-autoscaler";
    private final AutoscalerJobConfig config;

    public AutoscalerJob(AutoscalerJobConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = JobArguments.parse(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new AutoscalerJob(AutoscalerJobConfig.parse(given)).build(env);
        env.execute(NAME);
    }

    /** Adds the job's pipeline to {@code env} and turns exactly-once checkpointing on. */
    public void build(StreamExecutionEnvironment env) {
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        Duration maxFuture = config.maxFuture();
        DataStream<Input> policies = read(env, Topics.POLICIES, ScalingPolicy.class,
                (policy, clock) -> PolicyValidation.check(policy), Input::of);
        DataStream<Input> replicas = read(env, Topics.REPLICAS, ReplicaStatus.class,
                (status, clock) -> SampleValidation.check(status, clock, maxFuture), Input::of);
        DataStream<Input> samples = read(env, Topics.METRICS_RAW, MetricSample.class,
                (sample, clock) -> SampleValidation.check(sample, clock, maxFuture), Input::of);

        SingleOutputStreamOperator<ScalingDecision> decisions = policies.union(replicas, samples)
                .keyBy(Input::service)
                .process(new AutoscalerFunction(config.settings(), config.idleTimeout(), config.stateTtl()),
                        new AvroEventTypeInfo<>(ScalingDecision.class))
                .uid("autoscaler").name("autoscaler");
        decisions.sinkTo(decisionSink()).uid("decisions-sink").name(Topics.DECISIONS_SCALING.name());
        decisions.getSideOutput(AutoscalerFunction.REJECTED)
                .sinkTo(EventTopics.deadLetters(config.bootstrapServers(), NAME))
                .uid("rejected-sink").name(Topics.DLQ.name());
    }

    private KafkaSink<ScalingDecision> decisionSink() {
        return EventTopics.exactlyOnce(config.bootstrapServers(), config.registryUrl(), Topics.DECISIONS_SCALING, config.transactionalIdPrefix());
    }

    private <T extends SpecificRecord> DataStream<Input> read(StreamExecutionEnvironment env, TopicSpec topic, Class<T> type,
                                                              EventValidator<T> validator, MapFunction<T, Input> toInput) {
        KafkaSource<T> source = EventTopics.source(config.bootstrapServers(), config.registryUrl(), config.groupId(), NAME, topic, type,
                validator);
        WatermarkStrategy<T> watermarks = EventTopics.eventTime(config.outOfOrderness(), config.sourceIdleness());
        return env.fromSource(source, watermarks, topic.name()).uid("source-" + topic.name())
                .map(toInput).returns(new InputTypeInfo()).uid("input-" + topic.name()).name("to-input");
    }

}
