package io.ballast.jobs.rebalance;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.events.Action;
import io.ballast.events.NodeMembership;
import io.ballast.events.RebalancePlan;
import io.ballast.events.ShardLoad;
import io.ballast.jobs.autoscale.RejectedInput;
import io.ballast.jobs.autoscale.RejectedInputSerializationSchema;
import io.ballast.jobs.JobArguments;
import io.ballast.jobs.serde.AvroEventTypeInfo;
import io.ballast.jobs.serde.EventDeserializationSchema;
import io.ballast.jobs.serde.EventSerializationSchema;
import io.ballast.jobs.serde.EventValidator;
import io.ballast.jobs.state.JsonStateTypeInfo;
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
 * The rebalancer job: node memberships, shard loads and the executor's progress reports (rebalance.*
 * actions) in, validated (bad ones dead-lettered), keyed by cluster; {@link RebalancerFunction} keeps the
 * model in RocksDB state and plans it when its inputs go quiet; plans go to ballast.plans.rebalance
 * through an exactly-once (transactional) sink. Run it with {@code key=value} arguments
 * (see {@link RebalancerJobConfig#KEYS}).
 */
public final class RebalancerJob {
    public static final String NAME = "ballast-rebalancer";
    private final RebalancerJobConfig config;

    public RebalancerJob(RebalancerJobConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = JobArguments.parse(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new RebalancerJob(RebalancerJobConfig.parse(given)).build(env);
        env.execute(NAME);
    }

    /** Adds the job's pipeline to {@code env} and turns exactly-once checkpointing on. */
    public void build(StreamExecutionEnvironment env) {
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        DataStream<RebalanceInput> nodes = read(env, Topics.NODES, NodeMembership.class,
                (event, clock) -> RebalanceValidation.check(event), RebalanceInput::of);
        DataStream<RebalanceInput> shards = read(env, Topics.SHARDS_LOAD, ShardLoad.class,
                (event, clock) -> RebalanceValidation.check(event), RebalanceInput::of);
        DataStream<RebalanceInput> progress = read(env, Topics.ACTIONS, Action.class,
                (event, clock) -> RebalanceValidation.check(event), null);

        SingleOutputStreamOperator<RebalancePlan> plans = nodes.union(shards, progress)
                .keyBy(RebalanceInput::cluster)
                .process(new RebalancerFunction(config.planner(), config.quietPeriod(), config.maxDelay()),
                        new AvroEventTypeInfo<>(RebalancePlan.class))
                .uid("rebalancer").name("rebalancer");
        plans.sinkTo(planSink()).uid("rebalancer-plans-sink").name(Topics.PLANS_REBALANCE.name());
        plans.getSideOutput(RebalancerFunction.REJECTED)
                .sinkTo(KafkaSink.<RejectedInput>builder()
                        .setBootstrapServers(config.bootstrapServers())
                        .setRecordSerializer(new RejectedInputSerializationSchema(NAME))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build())
                .uid("rebalancer-rejected-sink").name(Topics.DLQ.name());
    }

    private KafkaSink<RebalancePlan> planSink() {
        Properties producer = new Properties();
        // below the broker's transaction.max.timeout.ms (15 min by default), above any checkpoint
        producer.setProperty("transaction.timeout.ms", Long.toString(Duration.ofMinutes(5).toMillis()));
        return KafkaSink.<RebalancePlan>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setRecordSerializer(new EventSerializationSchema<>(Topics.PLANS_REBALANCE.name(), config.registryUrl()))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.transactionalIdPrefix())
                .setKafkaProducerConfig(producer)
                .build();
    }

    @SuppressWarnings("deprecation") // the connector's API still takes Kafka's OffsetResetStrategy
    private <T extends SpecificRecord> DataStream<RebalanceInput> read(StreamExecutionEnvironment env, TopicSpec topic, Class<T> type,
                                                                       EventValidator<T> validator, MapFunction<T, RebalanceInput> toInput) {
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
        DataStream<T> events = env.fromSource(source, watermarks, topic.name()).uid("rebalancer-source-" + topic.name());
        if (toInput == null) {
            // ballast.actions carries every kind of action: only the executor's rebalance.* reports are inputs
            return events.filter(e -> RebalanceInput.isProgress((Action) e)).uid("progress-only-" + topic.name())
                    .map(e -> RebalanceInput.of((Action) e)).returns(new JsonStateTypeInfo<>(RebalanceInput.class))
                    .uid("rebalancer-input-" + topic.name()).name("to-input");
        }
        return events.map(toInput).returns(new JsonStateTypeInfo<>(RebalanceInput.class)).uid("rebalancer-input-" + topic.name()).name("to-input");
    }

    private static long occurredAt(SpecificRecord event) {
        return ((io.ballast.events.Envelope) event.get(event.getSchema().getField("envelope").pos())).getOccurredAt().toEpochMilli();
    }
}
