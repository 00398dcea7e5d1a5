package io.ballast.signals;

/**
 * Why a sample cannot make a signal.
 *
 * @param code    machine-readable, the dead letter's reason code
 * @param message what is wrong and what to fix
 */
public record SampleRefusal(String code, String message) {
    public static final String INVALID_SAMPLE = "INVALID_SAMPLE";
    public static final String UNIT_CHANGED = "UNIT_CHANGED";
    public static final String LATE_SAMPLE = "LATE_SAMPLE";
}
