package io.ballast.jobs.rebalance;

import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.client.KafkaClients;
import io.ballast.events.Action;
import io.ballast.events.NodeMembership;
import io.ballast.events.RebalancePlan;
import io.ballast.events.ShardLoad;
import io.ballast.jobs.JobArguments;
import io.ballast.jobs.JobEnvironment;
import io.ballast.jobs.autoscale.RejectedInput;
import io.ballast.jobs.serde.AvroEventTypeInfo;
import io.ballast.jobs.serde.EventTopics;
import io.ballast.jobs.serde.IdlenessWithResumeGrace;
import io.ballast.jobs.state.JsonStateTypeInfo;
import io.ballast.rebalance.RebalanceValidation;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The rebalancer job: node memberships, shard loads and the executor's progress reports (rebalance.*
 * actions) in, keyed by cluster; {@link RebalancerFunction} keeps the model in RocksDB state and plans it
 * when its inputs go quiet. Sources and sinks come from the caller ({@link Io}); {@link #kafka} gives the
 * topics (validated, bad records dead-lettered; plans through an exactly-once sink). Run it with
 * {@code --key value} arguments (see {@link RebalancerJobConfig#KEYS}).
 */
public final class RebalancerJob {
    public static final String NAME = "ballast-rebalancer";
    private final RebalancerJobConfig config;
    private final Io io;

    /** Where the job reads and writes. */
    public record Io(Source<RebalanceInput, ?, ?> nodes, Source<RebalanceInput, ?, ?> shards, Source<RebalanceInput, ?, ?> actions,
                     Sink<RebalancePlan> plans, Sink<RejectedInput> rejected) {
    }

    public RebalancerJob(RebalancerJobConfig config, Io io) {
        this.config = config;
        this.io = io;
    }

    /** The job jar's entry point. */
    public static void main(String[] args) throws Exception {
        RebalancerJobConfig config = RebalancerJobConfig.parse(JobArguments.parse(args));
        JobEnvironment.requireKafka(new KafkaClients(config.clients()), java.util.List.of(Topics.NODES.name(), Topics.SHARDS_LOAD.name(),
                Topics.ACTIONS.name(), Topics.PLANS_REBALANCE.name(), Topics.DLQ.name()));
        StreamExecutionEnvironment env = JobEnvironment.create();
        new RebalancerJob(config, kafka(config)).build(env);
        env.execute(NAME);
    }

    /** The job's topics; each input carries where it was read, which the plans record. */
    public static Io kafka(RebalancerJobConfig config) {
        TypeInformation<RebalanceInput> input = new JsonStateTypeInfo<>(RebalanceInput.class);
        return new Io(EventTopics.positionedSource(config.clients(), config.groupId(), NAME, Topics.NODES, NodeMembership.class,
                (event, clock) -> RebalanceValidation.check(event), RebalanceInput::of, input),
                EventTopics.positionedSource(config.clients(), config.groupId(), NAME, Topics.SHARDS_LOAD, ShardLoad.class,
                        (event, clock) -> RebalanceValidation.check(event), RebalanceInput::of, input),
                // ballast.actions carries every kind of action: only the executor's rebalance.* reports are inputs
                EventTopics.positionedSource(config.clients(), config.groupId(), NAME, Topics.ACTIONS, Action.class,
                        (event, clock) -> RebalanceValidation.check(event), RebalanceInput::of, input),
                EventTopics.exactlyOnce(config.clients(), Topics.PLANS_REBALANCE, config.transactionalIdPrefix()),
                EventTopics.deadLetters(config.clients(), NAME));
    }

    /** Adds the job's pipeline to {@code env} and turns exactly-once checkpointing on. */
    public void build(StreamExecutionEnvironment env) {
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        DataStream<RebalanceInput> nodes = read(env, io.nodes(), Topics.NODES);
        DataStream<RebalanceInput> shards = read(env, io.shards(), Topics.SHARDS_LOAD);
        DataStream<RebalanceInput> progress = read(env, io.actions(), Topics.ACTIONS);

        SingleOutputStreamOperator<RebalancePlan> plans = nodes.union(shards, progress)
                .keyBy(RebalanceInput::cluster)
                .process(new RebalancerFunction(config.planner(), config.quietPeriod(), config.maxDelay()),
                        new AvroEventTypeInfo<>(RebalancePlan.class))
                .uid("rebalancer").name("rebalancer");
        plans.sinkTo(io.plans()).uid("rebalancer-plans-sink").name(Topics.PLANS_REBALANCE.name());
        plans.getSideOutput(RebalancerFunction.REJECTED).sinkTo(io.rejected())
                .uid("rebalancer-rejected-sink").name(Topics.DLQ.name());
    }

    private DataStream<RebalanceInput> read(StreamExecutionEnvironment env, Source<RebalanceInput, ?, ?> source, TopicSpec topic) {
        WatermarkStrategy<RebalanceInput> eventTime = IdlenessWithResumeGrace.boundedOutOfOrderness(config.outOfOrderness(),
                config.sourceIdleness(), config.sourceResumeGrace(), (input, kafkaTimestamp) -> input.at().toEpochMilli());
        return env.fromSource(source, eventTime, topic.name(), new JsonStateTypeInfo<>(RebalanceInput.class))
                .uid("rebalancer-source-" + topic.name());
    }
}
