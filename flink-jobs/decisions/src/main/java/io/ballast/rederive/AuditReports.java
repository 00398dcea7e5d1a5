package io.ballast.rederive;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import io.ballast.events.AuditOutcome;
import io.ballast.events.AuditReport;
import io.ballast.events.DecisionDifference;
import io.ballast.events.Envelope;

/** The {@link AuditReport}s an audit publishes: one per checked decision, and a summary of each class's pass. */
public final class AuditReports {
    private AuditReports() {
    }

    /** What every report of one audit shares. */
    public record Audit(String source, String auditId, Instant from, Instant to, SignedTreeHead head, Instant now) {
    }

    /** The report of one checked decision: matched or differs, both explained, the inputs read before it was checked. */
    public static AuditReport decision(Audit audit, String job, AuditPass.Span span, DecisionReplay.Outcome o) {
        Instant at;
        try {
            at = Instant.parse(o.at());
        } catch (DateTimeParseException e) {
            at = null;
        }
        return base(audit, job, o.subject(), span)
                .setDecisionsCompared(1)
                .setDifferences(o.matched() ? List.of() : List.of(DecisionDifference.newBuilder().setSubject(o.subject())
                        .setRecordedEventId(o.decisionId()).setRecorded(o.recorded()).setRederived(o.rederived()).build()))
                .setOutcome(o.matched() ? AuditOutcome.MATCHED : AuditOutcome.DIFFERS)
                .setDecisionEventId(o.decisionId()).setDecisionAt(at)
                .setRecorded(o.recorded()).setRederived(o.rederived())
                .build();
    }

    /** The summary of one class's pass: how many decisions it checked, and every input it re-ran. */
    public static AuditReport summary(Audit audit, String job, AuditPass.Span span, long decisions) {
        return base(audit, job, job, span).setDecisionsCompared(decisions).setDifferences(List.of()).setOutcome(AuditOutcome.SUMMARY).build();
    }

    private static AuditReport.Builder base(Audit audit, String job, String subject, AuditPass.Span span) {
        return AuditReport.newBuilder()
                .setEnvelope(Envelope.newBuilder().setEventId(UUID.randomUUID()).setType(AuditReport.class.getSimpleName())
                        .setSource(audit.source()).setSubject(subject).setOccurredAt(audit.now()).setRecordedAt(audit.now())
                        .setCorrelationId(audit.auditId()).build())
                .setJob(job).setFromTime(audit.from()).setToTime(audit.to().isAfter(audit.now()) ? audit.now() : audit.to())
                .setSubject(subject)
                .setInputCount(span.inputs()).setInputsFromPosition(span.fromPosition()).setInputsToPosition(span.toPosition())
                .setTreeSize(audit.head().size()).setRootHash(audit.head().root()).setCheckpoint(audit.head().checkpoint());
    }
}
