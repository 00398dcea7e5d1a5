package io.ballast.jobs.autoscale;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

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
import io.ballast.jobs.serde.EventDeserializationSchema;
import io.ballast.jobs.serde.EventSerializationSchema;
import io.ballast.jobs.serde.EventValidator;
import io.ballast.jobs.state.InputTypeInfo;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

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
                .sinkTo(KafkaSink.<RejectedInput>builder()
                        .setBootstrapServers(config.bootstrapServers())
                        .setRecordSerializer(new RejectedInputSerializationSchema(NAME))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build())
                .uid("rejected-sink").name(Topics.DLQ.name());
    }

    private KafkaSink<ScalingDecision> decisionSink() {
        Properties producer = new Properties();
        // below the broker's transaction.max.timeout.ms (15 min by default), above any checkpoint
        producer.setProperty("transaction.timeout.ms", Long.toString(Duration.ofMinutes(5).toMillis()));
        return KafkaSink.<ScalingDecision>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setRecordSerializer(new EventSerializationSchema<>(Topics.DECISIONS_SCALING.name(), config.registryUrl()))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.transactionalIdPrefix())
                .setKafkaProducerConfig(producer)
                .build();
    }

    @SuppressWarnings("deprecation") // the connector's API still takes Kafka's OffsetResetStrategy
    private <T extends SpecificRecord> DataStream<Input> read(StreamExecutionEnvironment env, TopicSpec topic, Class<T> type,
                                                              EventValidator<T> validator, MapFunction<T, Input> toInput) {
        KafkaSource<T> source = KafkaSource.<T>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(topic.name())
                .setGroupId(config.groupId())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setProperty("isolation.level", "read_committed")
                .setDeserializer(new EventDeserializationSchema<>(type, config.registryUrl(), config.bootstrapServers(), NAME, validator))
                .build();
        WatermarkStrategy<T> watermarks = WatermarkStrategy.<T>forBoundedOutOfOrderness(config.outOfOrderness())
                .withTimestampAssigner((event, kafkaTimestamp) -> occurredAt(event))
                .withIdleness(config.sourceIdleness());
        return env.fromSource(source, watermarks, topic.name()).uid("source-" + topic.name())
                .map(toInput).returns(new InputTypeInfo()).uid("input-" + topic.name()).name("to-input");
    }

    private static long occurredAt(SpecificRecord event) {
        return ((io.ballast.events.Envelope) event.get(event.getSchema().getField("envelope").pos())).getOccurredAt().toEpochMilli();
    }
}
