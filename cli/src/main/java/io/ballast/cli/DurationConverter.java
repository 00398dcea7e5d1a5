package io.ballast.cli;

import java.time.Duration;

import io.ballast.config.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 500ms}, {@code 15s}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT15S}, as every Ballast setting does. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse("duration", value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a duration: use 500ms, 15s, 2m, 1h or PT15S");
        }
    }
}
