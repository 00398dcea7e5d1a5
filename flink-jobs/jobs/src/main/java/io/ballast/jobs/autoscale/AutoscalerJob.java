package io.ballast.jobs.autoscale;

import java.time.Duration;

import io.ballast.autoscale.Input;
import io.ballast.autoscale.PolicyValidation;
import io.ballast.autoscale.SampleValidation;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.client.KafkaClients;
import io.ballast.events.LateScalingInput;
import io.ballast.events.MetricSample;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingDecision;
import io.ballast.events.ScalingPolicy;
import io.ballast.jobs.JobArguments;
import io.ballast.jobs.JobEnvironment;
import io.ballast.jobs.serde.AvroEventTypeInfo;
import io.ballast.jobs.serde.EventTopics;
import io.ballast.jobs.serde.EventValidator;
import io.ballast.jobs.serde.IdlenessWithResumeGrace;
import io.ballast.jobs.state.ReadInputTypeInfo;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The autoscaler job: policies, replica statuses and metric samples in, keyed by service, evaluated by
 * {@link AutoscalerFunction} on event-time timers every sync period, decisions out. The pipeline takes its
 * sources and sinks from its caller ({@link Io}): {@link #kafka} gives the topics (validating and
 * dead-lettering decoders, an exactly-once decision sink), as the job jar's {@link #main} and
 * {@code ballast up} use them; tests pass bounded sources and collecting sinks.
 * Run it with {@code --key value} arguments (see {@link AutoscalerJobConfig#KEYS}).
 */
public final class AutoscalerJob {
    public static final String NAME = "ballast-autoscaler";
    private final AutoscalerJobConfig config;
    private final Io io;

    /** Where the job reads and writes: each input with where it was read (a late one is recorded by its position). */
    public record Io(Source<ReadInput, ?, ?> policies, Source<ReadInput, ?, ?> replicas, Source<ReadInput, ?, ?> samples,
                     Sink<ScalingDecision> decisions, Sink<LateScalingInput> late, Sink<RejectedInput> rejected) {
    }

    public AutoscalerJob(AutoscalerJobConfig config, Io io) {
        this.config = config;
        this.io = io;
    }

    /** The job jar's entry point. */
    public static void main(String[] args) throws Exception {
        AutoscalerJobConfig config = AutoscalerJobConfig.parse(JobArguments.parse(args));
        JobEnvironment.requireKafka(new KafkaClients(config.clients()), java.util.List.of(Topics.POLICIES.name(), Topics.REPLICAS.name(),
                Topics.METRICS_RAW.name(), Topics.DECISIONS_SCALING.name(), Topics.DECISIONS_SCALING_LATE.name(), Topics.DLQ.name()));
        StreamExecutionEnvironment env = JobEnvironment.create();
        new AutoscalerJob(config, kafka(config)).build(env);
        env.execute(NAME);
    }

    /**
     * The job's topics: validated, dead-lettering sources whose inputs carry where they were read; decisions and the
     * records of late inputs through exactly-once (transactional) sinks, committed at the same checkpoints.
     */
    public static Io kafka(AutoscalerJobConfig config) {
        Duration maxFuture = config.maxFuture();
        return new Io(source(config, Topics.POLICIES, ScalingPolicy.class, (policy, clock) -> PolicyValidation.check(policy), Input::of),
                source(config, Topics.REPLICAS, ReplicaStatus.class, (status, clock) -> SampleValidation.check(status, clock, maxFuture),
                        Input::of),
                source(config, Topics.METRICS_RAW, MetricSample.class, (sample, clock) -> SampleValidation.check(sample, clock, maxFuture),
                        Input::of),
                EventTopics.exactlyOnce(config.clients(), Topics.DECISIONS_SCALING, config.transactionalIdPrefix()),
                EventTopics.exactlyOnce(config.clients(), Topics.DECISIONS_SCALING_LATE, config.transactionalIdPrefix() + "-late"),
                EventTopics.deadLetters(config.clients(), NAME));
    }

    private static <T extends SpecificRecord> Source<ReadInput, ?, ?> source(AutoscalerJobConfig config, TopicSpec topic, Class<T> type,
                                                                             EventValidator<T> validator, ToInput<T> toInput) {
        return EventTopics.positionedSource(config.clients(), config.groupId(), NAME, topic, type, validator,
                (event, position) -> new ReadInput(toInput.apply(event), position), new ReadInputTypeInfo());
    }

    /** How an event of one input topic becomes an input. */
    @FunctionalInterface
    private interface ToInput<T> extends java.io.Serializable {
        Input apply(T event);
    }

    /** Adds the job's pipeline to {@code env} and turns exactly-once checkpointing on. */
    public void build(StreamExecutionEnvironment env) {
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        DataStream<ReadInput> policies = read(env, io.policies(), Topics.POLICIES);
        DataStream<ReadInput> replicas = read(env, io.replicas(), Topics.REPLICAS);
        DataStream<ReadInput> samples = read(env, io.samples(), Topics.METRICS_RAW);

        SingleOutputStreamOperator<ScalingDecision> decisions = policies.union(replicas, samples)
                .keyBy(ReadInput::service)
                .process(new AutoscalerFunction(config.settings(), config.idleTimeout(), config.stateTtl(),
                        config.evaluationDeadline()),
                        new AvroEventTypeInfo<>(ScalingDecision.class))
                .uid("autoscaler").name("autoscaler");
        decisions.sinkTo(io.decisions()).uid("decisions-sink").name(Topics.DECISIONS_SCALING.name());
        decisions.getSideOutput(AutoscalerFunction.LATE).sinkTo(io.late()).uid("late-sink").name(Topics.DECISIONS_SCALING_LATE.name());
        decisions.getSideOutput(AutoscalerFunction.REJECTED).sinkTo(io.rejected()).uid("rejected-sink").name(Topics.DLQ.name());
    }

    private DataStream<ReadInput> read(StreamExecutionEnvironment env, Source<ReadInput, ?, ?> source, TopicSpec topic) {
        WatermarkStrategy<ReadInput> eventTime = IdlenessWithResumeGrace.boundedOutOfOrderness(config.outOfOrderness(),
                config.sourceIdleness(), config.sourceResumeGrace(), (read, kafkaTimestamp) -> read.input().at().toEpochMilli());
        return env.fromSource(source, eventTime, topic.name(), new ReadInputTypeInfo()).uid("source-" + topic.name());
    }
}
