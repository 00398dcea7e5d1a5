package io.ballast.signals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import io.ballast.events.Envelope;
import io.ballast.events.Signal;
import io.ballast.events.SignalKind;

/** A window's figures as the {@code Signal} event published to ballast.signals. */
public final class SignalRecords {
    /** The envelope source of every signal the signals app publishes. */
    public static final String SOURCE = "ballast-signals";

    private SignalRecords() {
    }

    /**
     * The event of one metric's window. Its id and times derive from the service, metric, window and
     * finality, so a window re-emitted after a restore is the same event (consumers deduplicate on it).
     */
    public static Signal toEvent(MetricWindow window, long start, long end, boolean isFinal) {
        SignalFigures f = window.figures();
        UUID id = UUID.nameUUIDFromBytes((SOURCE + "/" + window.service() + "/" + window.metric() + "/" + start + "/" + end
                + "/" + (isFinal ? "final" : "early-" + f.count())).getBytes(StandardCharsets.UTF_8));
        Envelope envelope = Envelope.newBuilder()
                .setEventId(id)
                .setType(Signal.class.getSimpleName())
                .setSource(SOURCE)
                .setSubject(window.service())
                .setOccurredAt(Instant.ofEpochMilli(end))
                .setRecordedAt(Instant.ofEpochMilli(end))
                .build();
        return Signal.newBuilder()
                .setEnvelope(envelope)
                .setService(window.service())
                .setMetric(window.metric())
                .setKind(f.rate() ? SignalKind.RATE : SignalKind.GAUGE)
                .setUnit(f.rate() ? perSecond(window.unit()) : window.unit())
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(end))
                .setCount(f.count())
                .setReadyInstances(f.readyInstances())
                .setSum(f.sum())
                .setAverage(f.average())
                .setMax(f.max())
                .setP50(f.p50())
                .setP95(f.p95())
                .setP99(f.p99())
                .setFinal$(isFinal)
                .build();
    }

    private static String perSecond(String unit) {
        return unit == null || unit.isEmpty() ? "1/s" : unit + "/s";
    }
}
