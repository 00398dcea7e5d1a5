package io.ballast.jobs.audit;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.ballast.rederive.ArchivedEvent;
import io.ballast.rederive.AuditPass;
import io.ballast.rederive.AuditReports;
import io.ballast.rederive.DecisionReplay;
import io.ballast.events.AuditReport;
import io.ballast.rebalance.InputPosition;
import io.ballast.registry.RegistryClient;
import io.ballast.serde.EventDecoder;
import io.ballast.serde.UndecodableRecordException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The audit's one pass ({@link AuditPass}) over a replay topic read in order (one partition, parallelism 1): each record
 * decoded from its wire format and handed to the re-runs of the classes that read its type; each checked decision's report
 * goes out as soon as it is checked, and at the end of the input each class's summary. Records whose bytes are not an
 * event (appended to the store directly, never read by a job) are left out and counted in the summary's log line.
 */
final class AuditOperator extends AbstractStreamOperator<AuditReport> implements OneInputStreamOperator<ReplayedRecord, AuditReport>,
        BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private final AuditJobConfig config;
    private transient AuditPass pass;
    private transient Map<String, AuditPass.Part> parts;
    private transient Map<String, EventDecoder<? extends SpecificRecord>> decoders;
    private transient AuditReports.Audit audit;
    private transient long undecodable;

    AuditOperator(AuditJobConfig config) {
        this.config = config;
    }

    @Override
    public void open() throws Exception {
        super.open();
        audit = new AuditReports.Audit("ballast-audit-job", config.auditId(), config.from(), config.to(), config.head(), Instant.now());
        pass = new AuditPass();
        parts = new java.util.LinkedHashMap<>();
        for (String job : config.jobs()) {
            DecisionReplay replay = DecisionReplay.all().get(job);
            parts.put(job, pass.add(replay, part -> replay.start(o ->
                    output.collect(new StreamRecord<>(AuditReports.decision(audit, job, part.span(), o))))));
        }
        RegistryClient registry = RegistryClient.connect(config.clients().registry());
        decoders = new HashMap<>();
        pass.types().forEach(t -> decoders.put(t.getSimpleName(), EventDecoder.specific(registry, t)));
    }

    @Override
    public void processElement(StreamRecord<ReplayedRecord> element) {
        ReplayedRecord r = element.getValue();
        EventDecoder<? extends SpecificRecord> decoder = decoders.get(r.type());
        if (decoder == null) {
            return;
        }
        SpecificRecord event;
        try {
            event = decoder.decode(config.replayTopic(), -1, r.position(), r.data());
        } catch (UndecodableRecordException e) {
            undecodable++;
            return;
        }
        pass.accept(new ArchivedEvent(r.position(), Instant.ofEpochMilli(r.occurredAt()),
                r.originTopic() == null ? null : new InputPosition(r.originTopic(), r.originPartition(), r.originOffset()), event));
    }

    @Override
    public void endInput() {
        pass.finish();
        parts.forEach((job, part) -> output.collect(new StreamRecord<>(AuditReports.summary(audit, job, part.span(), part.decisions()))));
        LOG.info("audit {}: {} replayed records not events in the wire format, left out", config.auditId(), undecodable);
    }
}
