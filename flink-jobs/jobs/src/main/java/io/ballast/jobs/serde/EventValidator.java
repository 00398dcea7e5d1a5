package io.ballast.jobs.serde;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * The semantic rules an event must meet to enter a job, beyond its schema. A record that breaks one is
 * dead-lettered with code {@code INVALID_EVENT} and every violation, and the job carries on.
 */
@FunctionalInterface
public interface EventValidator<T> extends Serializable {

    /** Every violation ("path: what is wrong"); empty when the event is valid. */
    List<String> violations(T event, Instant wallClock);

    /** Accepts every event. */
    static <T> EventValidator<T> none() {
        return (event, wallClock) -> List.of();
    }
}
