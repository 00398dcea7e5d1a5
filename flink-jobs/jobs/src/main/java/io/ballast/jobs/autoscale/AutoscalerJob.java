package io.ballast.jobs.autoscale;

import java.time.Duration;

import io.ballast.autoscale.Input;
import io.ballast.autoscale.PolicyValidation;
import io.ballast.autoscale.SampleValidation;
import io.ballast.catalog.TopicSpec;
import io.ballast.catalog.Topics;
import io.ballast.client.KafkaClients;
import io.ballast.events.MetricSample;
import io.ballast.events.ReplicaStatus;
import io.ballast.events.ScalingDecision;
import io.ballast.events.ScalingPolicy;
import io.ballast.jobs.JobArguments;
import io.ballast.jobs.JobEnvironment;
import io.ballast.jobs.serde.AvroEventTypeInfo;
import io.ballast.jobs.serde.EventTopics;
import io.ballast.jobs.serde.EventValidator;
import io.ballast.jobs.state.InputTypeInfo;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.MapFunction;
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

    /** Where the job reads and writes. */
    public record Io(Source<ScalingPolicy, ?, ?> policies, Source<ReplicaStatus, ?, ?> replicas, Source<MetricSample, ?, ?> samples,
                     Sink<ScalingDecision> decisions, Sink<RejectedInput> rejected) {
    }

    public AutoscalerJob(AutoscalerJobConfig config, Io io) {
        this.config = config;
        this.io = io;
    }

    /** The job jar's entry point. */
    public static void main(String[] args) throws Exception {
        AutoscalerJobConfig config = AutoscalerJobConfig.parse(JobArguments.parse(args));
        JobEnvironment.requireKafka(new KafkaClients(config.clients()), java.util.List.of(Topics.POLICIES.name(), Topics.REPLICAS.name(),
                Topics.METRICS_RAW.name(), Topics.DECISIONS_SCALING.name(), Topics.DLQ.name()));
        StreamExecutionEnvironment env = JobEnvironment.create();
        new AutoscalerJob(config, kafka(config)).build(env);
        env.execute(NAME);
    }

    /** The job's topics: validated, dead-lettering sources; decisions through an exactly-once (transactional) sink. */
    public static Io kafka(AutoscalerJobConfig config) {
        Duration maxFuture = config.maxFuture();
        return new Io(source(config, Topics.POLICIES, ScalingPolicy.class, (policy, clock) -> PolicyValidation.check(policy)),
                source(config, Topics.REPLICAS, ReplicaStatus.class, (status, clock) -> SampleValidation.check(status, clock, maxFuture)),
                source(config, Topics.METRICS_RAW, MetricSample.class, (sample, clock) -> SampleValidation.check(sample, clock, maxFuture)),
                EventTopics.exactlyOnce(config.clients(), Topics.DECISIONS_SCALING, config.transactionalIdPrefix()),
                EventTopics.deadLetters(config.clients(), NAME));
    }

    private static <T extends SpecificRecord> Source<T, ?, ?> source(AutoscalerJobConfig config, TopicSpec topic, Class<T> type,
                                                                     EventValidator<T> validator) {
        return EventTopics.source(config.clients(), config.groupId(), NAME, topic, type, validator);
    }

    /** Adds the job's pipeline to {@code env} and turns exactly-once checkpointing on. */
    public void build(StreamExecutionEnvironment env) {
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        DataStream<Input> policies = read(env, io.policies(), Topics.POLICIES, Input::of);
        DataStream<Input> replicas = read(env, io.replicas(), Topics.REPLICAS, Input::of);
        DataStream<Input> samples = read(env, io.samples(), Topics.METRICS_RAW, Input::of);

        SingleOutputStreamOperator<ScalingDecision> decisions = policies.union(replicas, samples)
                .keyBy(Input::service)
                .process(new AutoscalerFunction(config.settings(), config.idleTimeout(), config.stateTtl()),
                        new AvroEventTypeInfo<>(ScalingDecision.class))
                .uid("autoscaler").name("autoscaler");
        decisions.sinkTo(io.decisions()).uid("decisions-sink").name(Topics.DECISIONS_SCALING.name());
        decisions.getSideOutput(AutoscalerFunction.REJECTED).sinkTo(io.rejected()).uid("rejected-sink").name(Topics.DLQ.name());
    }

    private <T extends SpecificRecord> DataStream<Input> read(StreamExecutionEnvironment env, Source<T, ?, ?> source, TopicSpec topic,
                                                              MapFunction<T, Input> toInput) {
        return env.fromSource(source, EventTopics.<T>eventTime(config.outOfOrderness(), config.sourceIdleness()), topic.name())
                .uid("source-" + topic.name())
                .map(toInput).returns(new InputTypeInfo()).uid("input-" + topic.name()).name("to-input");
    }
}
