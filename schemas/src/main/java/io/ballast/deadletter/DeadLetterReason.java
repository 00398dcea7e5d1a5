package io.ballast.deadletter;

import java.util.Objects;

import io.ballast.serde.UndecodableRecordException;

/**
 * Why a record was dead-lettered.
 *
 * @param code machine-readable (a {@link io.ballast.serde.DecodeFailure} name, INVALID_EVENT, ...)
 * @param message what is wrong and, where it can, what to fix
 */
public record DeadLetterReason(String code, String message) {
    public DeadLetterReason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** The reason of a decoding failure. */
    public static DeadLetterReason of(UndecodableRecordException e) {
        return new DeadLetterReason(e.failure().name(), e.detail());
    }
}
