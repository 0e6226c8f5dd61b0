package io.tidemark.pipeline.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** Parses {@code 250ms}, {@code 1s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT1S}). */
final class Durations implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt")) {
                return Duration.parse(value);
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            switch (v.charAt(v.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(n);
                case 'm':
                    return Duration.ofMinutes(n);
                case 'h':
                    return Duration.ofHours(n);
                default:
                    return Duration.ofMillis(Long.parseLong(v));
            }
        } catch (RuntimeException e) {
            throw new CommandLine.TypeConversionException(
                    "invalid duration: value=" + value + ", expected e.g. 500ms, 1s, 2m or PT1S");
        }
    }
}
