package io.ballast.jobs.autoscale;

import java.time.Instant;

/**
 * An input the autoscaler did not use, bound for the dead-letter topic: late (its evaluation already
 * ran) or contradicting the state (a unit change, a policy version going back).
 *
 * @param topic     the topic the input came from
 * @param partition where it was read, with {@code offset}; -1 when not known
 * @param code      LATE_EVENT or REJECTED_EVENT
 * @param payload   the input in its JSON form
 */
public record RejectedInput(String topic, int partition, long offset, String subject, Instant at, String code, String reason,
                            String payload) {
    /** An input refused where it is no longer known where it was read. */
    public RejectedInput(String topic, String subject, Instant at, String code, String reason, String payload) {
        this(topic, -1, -1, subject, at, code, reason, payload);
    }
}
