package io.ballast.jobs.invalidate;

import java.time.Instant;
import java.util.List;

import io.ballast.catalog.Topics;
import io.ballast.client.ClientConfig;
import io.ballast.client.KafkaClients;
import io.ballast.events.CacheDependency;
import io.ballast.events.CacheInvalidation;
import io.ballast.events.EntityChange;
import io.ballast.invalidate.Change;
import io.ballast.invalidate.Invalidation;
import io.ballast.invalidate.InvalidationRecords;
import io.ballast.invalidate.Visit;
import io.ballast.jobs.JobArguments;
import io.ballast.jobs.JobEnvironment;
import io.ballast.jobs.autoscale.RejectedInput;
import io.ballast.jobs.serde.AvroEventTypeInfo;
import io.ballast.jobs.serde.EventTopics;
import io.ballast.jobs.state.JsonStateTypeInfo;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The cache invalidator job. Registrations (ballast.cache.deps) become edges of the dependency graph,
 * kept at their targets in RocksDB; changes (ballast.changes) are coalesced per entity and start a
 * closure at the entity's node; each visited node names what it invalidates and visits its dependents:
 * at once when this parallel instance owns them, through a feedback topic, keyed by node, when another one
 * does; the closure stops at nodes already visited for the change (cycles). Invalidations go to ballast.cache.invalidations
 * at-least-once (they are idempotent and version-fenced); refused changes and registrations to ballast.dlq.
 * Sources and sinks come from the caller ({@link Io}); {@link #kafka} gives the topics. Run it with
 * {@code --key value} arguments (see {@link InvalidatorJobConfig#KEYS}).
 */
public final class InvalidatorJob {
    public static final String NAME = "ballast-invalidator";
    private final InvalidatorJobConfig config;
    private final Io io;

    /**
     * Where the job reads and writes: registrations, changes, the closure's feedback (read and written: the
     * closure crosses parallel instances through it), invalidations and refused inputs.
     */
    public record Io(Source<CacheDependency, ?, ?> registrations, Source<EntityChange, ?, ?> changes, Source<Visit, ?, ?> closureIn,
                     Sink<CacheInvalidation> invalidations, Sink<Visit> closureOut, Sink<RejectedInput> rejected) {
    }

    public InvalidatorJob(InvalidatorJobConfig config, Io io) {
        this.config = config;
        this.io = io;
    }

    /** The job jar's entry point. */
    public static void main(String[] args) throws Exception {
        InvalidatorJobConfig config = InvalidatorJobConfig.parse(JobArguments.parse(args));
        JobEnvironment.requireKafka(new KafkaClients(config.clients()), java.util.List.of(Topics.CACHE_DEPS.name(), Topics.CHANGES.name(),
                config.closureTopic(), Topics.CACHE_INVALIDATIONS.name(), Topics.DLQ.name()));
        StreamExecutionEnvironment env = JobEnvironment.create();
        new InvalidatorJob(config, kafka(config)).build(env);
        env.execute(NAME);
    }

    /** The job's topics: invalidations at-least-once, the feedback topic both ways, refusals to the dead-letter topic. */
    public static Io kafka(InvalidatorJobConfig config) {
        ClientConfig clients = config.clients();
        return new Io(EventTopics.source(clients, config.groupId(), NAME, Topics.CACHE_DEPS, CacheDependency.class,
                (event, clock) -> RegistrationInput.violations(event)),
                EventTopics.source(clients, config.groupId(), NAME, Topics.CHANGES, EntityChange.class,
                        (event, clock) -> changeViolations(event)),
                VisitRecords.source(clients, config.closureTopic(), config.groupId() + "-closure"),
                EventTopics.atLeastOnce(clients, Topics.CACHE_INVALIDATIONS),
                VisitRecords.sink(clients, config.closureTopic()),
                EventTopics.deadLetters(clients, NAME));
    }

    /** Adds the job's pipeline to {@code env} and turns checkpointing on. */
    public void build(StreamExecutionEnvironment env) {
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        // every exchange, the closure source's too: at Flink's default (100 ms) a hop through the feedback topic cost ~60 ms
        env.setBufferTimeout(config.bufferTimeout().toMillis());
        // Without object reuse Flink deep-copies every record between chained operators: the CacheInvalidation going
        // from its map to the Kafka writer through Avro's GenericData.deepCopy was 17 % of the graph task (JFR). Safe
        // here: every function of this job emits objects it made for that emission and never changes or keeps them,
        // and none changes its input; the sources and the network hand over a new object per record.
        env.getConfig().enableObjectReuse();

        DataStream<GraphInput> edges = env.fromSource(io.registrations(), WatermarkStrategy.noWatermarks(), Topics.CACHE_DEPS.name())
                .uid("invalidator-source-deps")
                .map(RegistrationInput::of).returns(new JsonStateTypeInfo<>(RegistrationInput.class)).uid("invalidator-registration-input")
                .keyBy(RegistrationInput::key)
                .process(new RegistrationFunction(), ClosureTypes.graphInput()).uid("invalidator-registrations")
                .name("registrations");

        SingleOutputStreamOperator<Visit> coalesced = env.fromSource(io.changes(),
                        EventTopics.<EntityChange>eventTime(config.outOfOrderness(), config.sourceIdleness()), Topics.CHANGES.name())
                .uid("invalidator-source-changes")
                .map(e -> new Change(e.getEntity(), e.getVersion(), e.getEnvelope().getOccurredAt().toEpochMilli(),
                        e.getEnvelope().getEventId().toString())).returns(ClosureTypes.change()).uid("invalidator-change-input")
                .keyBy(Change::entity)
                .process(new CoalesceFunction(config.coalesceWindow(), config.versionTtl()), ClosureTypes.visit())
                .uid("invalidator-coalesce").name("coalesce");

        DataStream<Visit> fedBack = env.fromSource(io.closureIn(), WatermarkStrategy.noWatermarks(), config.closureTopic())
                .uid("invalidator-source-closure");

        SingleOutputStreamOperator<Invalidation> invalidations = coalesced.union(fedBack)
                .map(GraphInput::of).returns(ClosureTypes.graphInput()).uid("invalidator-visit-input")
                .union(edges)
                .keyBy(GraphInput::node)
                .transform("graph", new JsonStateTypeInfo<>(Invalidation.class), new GraphOperator(config.visitedTtl()))
                .uid("invalidator-graph");

        invalidations.map(i -> InvalidationRecords.toEvent(i, NAME, Instant.now()))
                .returns(new AvroEventTypeInfo<>(CacheInvalidation.class)).uid("invalidator-to-event")
                .sinkTo(io.invalidations()).uid("invalidator-invalidations-sink").name(Topics.CACHE_INVALIDATIONS.name());
        invalidations.getSideOutput(GraphOperator.NEXT)
                .sinkTo(io.closureOut()).uid("invalidator-closure-sink").name(config.closureTopic());
        coalesced.getSideOutput(CoalesceFunction.REJECTED)
                .sinkTo(io.rejected()).uid("invalidator-rejected-sink").name(Topics.DLQ.name());
    }

    /** The rules a change must meet to enter the job (see {@link Change#violations}). */
    static List<String> changeViolations(EntityChange change) {
        return Change.violations(change.getEntity(), change.getVersion());
    }
}
