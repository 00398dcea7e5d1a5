package io.ballast.jobs.invalidate;

import java.util.List;

import io.ballast.events.CacheDependency;
import io.ballast.invalidate.InvalidationRecords;
import io.ballast.invalidate.Node;
import io.ballast.invalidate.Registration;

/**
 * A registration from ballast.cache.deps as the job keeps it: the key, its targets, when it was made
 * (event time) and how long it lives, or withdrawn.
 */
public record RegistrationInput(String key, List<Node> targets, long occurredAt, Long ttlSeconds, boolean withdrawn) {

    public static RegistrationInput of(CacheDependency event) {
        return new RegistrationInput(event.getKey(), InvalidationRecords.targets(event), event.getEnvelope().getOccurredAt().toEpochMilli(),
                event.getTtlSeconds(), event.getWithdrawn());
    }

    /** The registration it makes; its expiry counts from when it was made. */
    public Registration registration() {
        long expiresAt = ttlSeconds == null ? Registration.NEVER : occurredAt + ttlSeconds * 1000;
        return new Registration(key, new java.util.HashSet<>(targets), expiresAt);
    }

    /** The rules a registration event must meet to enter the job. */
    public static List<String> violations(CacheDependency event) {
        return Registration.violations(event.getKey(), InvalidationRecords.targets(event), event.getTtlSeconds());
    }
}
