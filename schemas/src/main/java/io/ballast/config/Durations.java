package io.ballast.config;

import java.time.Duration;

/** The one way Ballast's configuration keys spell durations: 500ms, 15s, 5m, 1h or ISO-8601 (PT15S). */
public final class Durations {
    private Durations() {
    }

    /** Parses {@code value}; the error names {@code key} and says how to write it. */
    public static Duration parse(String key, String value) {
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                return Duration.parse(value);
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
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
