package io.ballast.jobs.rebalance;

import java.util.Map;

import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.events.Action;
import io.ballast.events.NodeMembership;
import io.ballast.events.RebalancePlan;
import io.ballast.events.ShardLoad;
import io.ballast.jobs.JobArguments;
import io.ballast.jobs.serde.AvroEventTypeInfo;
import io.ballast.jobs.serde.EventTopics;
import io.ballast.jobs.serde.EventValidator;
import io.ballast.jobs.state.JsonStateTypeInfo;
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
                .sinkTo(EventTopics.deadLetters(config.bootstrapServers(), NAME))
                .uid("rebalancer-rejected-sink").name(Topics.DLQ.name());
    }

    private KafkaSink<RebalancePlan> planSink() {
        return EventTopics.exactlyOnce(config.bootstrapServers(), config.registryUrl(), Topics.PLANS_REBALANCE, config.transactionalIdPrefix());
    }

    private <T extends SpecificRecord> DataStream<RebalanceInput> read(StreamExecutionEnvironment env, TopicSpec topic, Class<T> type,
                                                                       EventValidator<T> validator, MapFunction<T, RebalanceInput> toInput) {
        KafkaSource<T> source = EventTopics.source(config.bootstrapServers(), config.registryUrl(), config.groupId(), NAME, topic, type,
                validator);
        WatermarkStrategy<T> watermarks = EventTopics.eventTime(config.outOfOrderness(), config.sourceIdleness());
        DataStream<T> events = env.fromSource(source, watermarks, topic.name()).uid("rebalancer-source-" + topic.name());
        if (toInput == null) {
            // ballast.actions carries every kind of action: only the executor's rebalance.* reports are inputs
            return events.filter(e -> RebalanceInput.isProgress((Action) e)).uid("progress-only-" + topic.name())
                    .map(e -> RebalanceInput.of((Action) e)).returns(new JsonStateTypeInfo<>(RebalanceInput.class))
                    .uid("rebalancer-input-" + topic.name()).name("to-input");
        }
        return events.map(toInput).returns(new JsonStateTypeInfo<>(RebalanceInput.class)).uid("rebalancer-input-" + topic.name()).name("to-input");
    }

}
