package io.ballast.invalidate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a cache key depends on, as its client registered it last: the targets and when the registration
 * expires ({@link #NEVER} when it lives until withdrawn). A newer registration of the key replaces it.
 */
public record Registration(String key, Set<Node> targets, long expiresAt) {
    public static final long NEVER = Long.MAX_VALUE;

    public Registration {
        targets = Set.copyOf(targets);
    }

    /** Whether the registration has expired at {@code now} (epoch millis). */
    public boolean expiredAt(long now) {
        return expiresAt <= now;
    }

    /**
     * Every reason the registration is refused; empty when it is valid. A key must be non-empty and may not
     * depend on itself, a target must name something, a TTL must be positive.
     */
    public static List<String> violations(String key, List<Node> targets, Long ttlSeconds) {
        List<String> violations = new ArrayList<>();
        if (key == null || key.isBlank()) {
            violations.add("key: is empty; a registration names the cache key it is for");
        }
        for (int i = 0; i < targets.size(); i++) {
            Node target = targets.get(i);
            if (target.ref().isBlank()) {
                violations.add("dependsOn[" + i + "].ref: is empty");
            } else if (target.kind() == Node.Kind.KEY && target.ref().equals(key)) {
                violations.add("dependsOn[" + i + "]: key '" + key + "' depends on itself");
            }
        }
        if (ttlSeconds != null && ttlSeconds <= 0) {
            violations.add("ttlSeconds: " + ttlSeconds + " is not positive; null means until withdrawn");
        }
        return violations;
    }
}
