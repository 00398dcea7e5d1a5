package io.ballast.registry;

import java.time.Instant;

/**
 * Whether the registry answered when it was last asked, and when that was: what a producer, the store's ingest
 * or a job that works from its cached schemas reports while the registry is away. {@code error} says what went
 * wrong when it did not answer; never credentials (the registry's address is given without them).
 */
public record RegistryReach(boolean reachable, Instant checkedAt, String error) {
    /** Before anything asked the registry. */
    public static final RegistryReach UNKNOWN = new RegistryReach(true, Instant.EPOCH, "");

    static RegistryReach answered(Instant at) {
        return new RegistryReach(true, at, "");
    }

    static RegistryReach unreachable(Instant at, String error) {
        return new RegistryReach(false, at, error);
    }

    /** One line, e.g. "reachable (checked 2026-12-05T05:00:00Z)" or "unreachable (checked …): …". */
    public String describe() {
        if (checkedAt.equals(Instant.EPOCH)) {
            return "not asked yet";
        }
        return reachable ? "reachable (checked " + checkedAt + ")" : "unreachable (checked " + checkedAt + "): " + error;
    }
}
