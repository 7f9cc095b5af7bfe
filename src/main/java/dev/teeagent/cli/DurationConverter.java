package dev.teeagent.cli;

import java.time.Duration;
import picocli.CommandLine;

/** "90s", "10m", "2h" (or ISO-8601 "PT10M") to a positive Duration. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String text) {
    Duration duration;
    if (text.matches("[0-9]{1,7}[smh]")) {
      long amount = Long.parseLong(text.substring(0, text.length() - 1));
      duration =
          switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
          };
    } else {
      try {
        duration = Duration.parse(text);
      } catch (java.time.format.DateTimeParseException e) {
        throw new CommandLine.TypeConversionException("a duration is like 90s, 10m or 2h");
      }
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new CommandLine.TypeConversionException("a duration must be positive");
    }
    return duration;
  }
}
