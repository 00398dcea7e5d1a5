package io.ballast.config;

import java.time.Duration;

/** The one way Ballast's configuration keys spell durations: 500ms, 15s, 5m, 1h or ISO-8601 (PT15S). */
public final class Durations {
    private Durations() {
    }

    /** Parses {@code value}; the error names {@code key} and says how to write it. */
    public static Duration parse(String key, String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException("no unit");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a duration (e.g. 15s, 500ms, 5m, 1h or PT15S)", e);
        }
    }
}
