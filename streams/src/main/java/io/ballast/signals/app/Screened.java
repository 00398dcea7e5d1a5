package io.ballast.signals.app;

import io.ballast.signals.Sample;
import io.ballast.signals.SampleRefusal;

/** A raw record after the screen: its sample, or why it was refused (and its bytes, for the dead letter). */
record Screened(Sample sample, SampleRefusal refusal, byte[] raw) {
    static Screened accepted(Sample sample) {
        return new Screened(sample, null, null);
    }

    static Screened refused(SampleRefusal refusal, byte[] raw) {
        return new Screened(null, refusal, raw);
    }

    boolean isRefused() {
        return refusal != null;
    }
}
