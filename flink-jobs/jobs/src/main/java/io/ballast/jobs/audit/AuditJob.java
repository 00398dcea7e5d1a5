package io.ballast.jobs.audit;

import java.util.List;
import java.util.Map;

import io.ballast.catalog.Topics;
import io.ballast.client.KafkaClients;
import io.ballast.events.AuditReport;
import io.ballast.jobs.JobArguments;
import io.ballast.jobs.JobEnvironment;
import io.ballast.jobs.serde.AvroEventTypeInfo;
import io.ballast.jobs.serde.EventSerializationSchema;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The bounded audit job: re-runs the decision classes over a replay topic that {@code ballast audit decisions --on-flink}
 * filled with a range of the event store's archive (in event-time order, one partition), exactly as the CLI re-runs them
 * over the store's record stream ({@link io.ballast.rederive.AuditPass}), and publishes one {@link AuditReport} per checked
 * decision and a summary per class to ballast.audit.reports, each with the audit's id as its correlationId. It reads the
 * topic from its start to the end it has when the job starts, then finishes. The re-runs hold their state in memory (a
 * bounded pass, restarted whole on failure), so the pass has parallelism 1: it moves the work off the machine that asks.
 */
public final class AuditJob {
    public static final String NAME = "ballast-audit";
    private final AuditJobConfig config;
    private final Io io;

    /** Where the job reads and writes. */
    public record Io(Source<ReplayedRecord, ?, ?> replayed, Sink<AuditReport> reports) {
    }

    public AuditJob(AuditJobConfig config, Io io) {
        this.config = config;
        this.io = io;
    }

    /** The job jar's entry point. */
    public static void main(String[] args) throws Exception {
        AuditJobConfig config = AuditJobConfig.parse(JobArguments.parse(args));
        JobEnvironment.requireKafka(new KafkaClients(config.clients()), List.of(config.replayTopic(), Topics.AUDIT_REPORTS.name()));
        StreamExecutionEnvironment env = JobEnvironment.create();
        new AuditJob(config, kafka(config)).build(env);
        env.execute(NAME + "-" + config.auditId());
    }

    /** The replay topic, bounded by its end offsets at the start; the reports, each acknowledged before the job finishes. */
    public static Io kafka(AuditJobConfig config) {
        KafkaClients clients = new KafkaClients(config.clients());
        KafkaSource<ReplayedRecord> source = KafkaSource.<ReplayedRecord>builder()
                .setProperties(clients.properties(Map.of("isolation.level", "read_committed")))
                .setTopics(config.replayTopic())
                .setGroupId(NAME + "-" + config.auditId())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new ReplayedRecordDeserializationSchema())
                .build();
        KafkaSink<AuditReport> sink = KafkaSink.<AuditReport>builder()
                .setBootstrapServers(config.clients().bootstrapServers())
                .setKafkaProducerConfig(clients.properties(Map.of("acks", "all", "enable.idempotence", "true")))
                .setRecordSerializer(new EventSerializationSchema<>(Topics.AUDIT_REPORTS.name(), config.clients(),
                        report -> report.getJob().toString()))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
        return new Io(source, sink);
    }

    /** Adds the job's pipeline to {@code env}: one pass, in the replay topic's order. */
    public void build(StreamExecutionEnvironment env) {
        env.fromSource(io.replayed(), WatermarkStrategy.noWatermarks(), config.replayTopic()).setParallelism(1).uid("audit-source")
                .transform("audit", new AvroEventTypeInfo<>(AuditReport.class), new AuditOperator(config)).setParallelism(1).uid("audit")
                .sinkTo(io.reports()).setParallelism(1).uid("audit-reports").name(Topics.AUDIT_REPORTS.name());
    }
}
