package io.ballast.signals;

import java.time.Instant;
import java.util.Optional;

/** The checks a sample passes before it joins a window; the first one it fails is its refusal. */
public final class SampleCheck {
    private final WindowSpec windows;

    public SampleCheck(WindowSpec windows) {
        this.windows = windows;
    }

    /**
     * @param key        the record key, which must be the service (the topic is partitioned by it)
     * @param knownUnit  the unit the series (service and metric) had first, or null for a new series
     * @param streamTime the highest event time of the samples accepted so far
     */
    public Optional<SampleRefusal> check(String key, Sample s, String knownUnit, long streamTime) {
        if (s.service() == null || s.service().isBlank()) {
            return invalid("the sample has no service: set 'service' (and the record key) to the service it measures");
        }
        if (!s.service().equals(key)) {
            return invalid("the record key '" + key + "' is not the sample's service '" + s.service()
                    + "': ballast.metrics.raw is keyed by service");
        }
        if (s.instance() == null || s.instance().isBlank()) {
            return invalid("the sample of " + s.service() + " has no instance");
        }
        if (s.metric() == null || s.metric().isBlank()) {
            return invalid("the sample of " + s.service() + "/" + s.instance() + " has no metric name");
        }
        if (!Double.isFinite(s.value())) {
            return invalid("value " + s.value() + " of " + series(s) + " is not a finite number");
        }
        if (s.counter() && s.value() < 0) {
            return invalid("counter " + series(s) + " is " + s.value() + ": a counter is never negative");
        }
        if (knownUnit != null && !knownUnit.equals(s.unit())) {
            return Optional.of(new SampleRefusal(SampleRefusal.UNIT_CHANGED, "unit '" + s.unit() + "' of " + series(s)
                    + " differs from '" + knownUnit + "', the unit the series started with: a unit never changes "
                    + "within a series; publish the new unit under a new metric name"));
        }
        if (windows.tooLate(s.at(), streamTime)) {
            return Optional.of(new SampleRefusal(SampleRefusal.LATE_SAMPLE, "sample of " + series(s) + " at "
                    + Instant.ofEpochMilli(s.at()) + " arrived after its last window closed (end "
                    + Instant.ofEpochMilli(windows.lastWindowEnd(s.at())) + " + grace " + windows.grace()
                    + ", stream time " + Instant.ofEpochMilli(streamTime) + ")"));
        }
        return Optional.empty();
    }

    private static String series(Sample s) {
        return s.service() + "/" + s.metric();
    }

    private static Optional<SampleRefusal> invalid(String message) {
        return Optional.of(new SampleRefusal(SampleRefusal.INVALID_SAMPLE, message));
    }
}
