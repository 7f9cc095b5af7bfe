package dev.teeagent.cli;

import dev.teeagent.config.DurationText;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine;

/**
 * A positive Duration in the one syntax of {@link DurationText}. Picocli names the flag in front of
 * the sentence ("Invalid value for option '--timeout': ...").
 */
class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String text) {
    Duration duration =
        parse(text)
            .orElseThrow(
                () ->
                    new CommandLine.TypeConversionException(
                        "a duration is like " + DurationText.EXAMPLES));
    if (duration.isZero()) {
      throw new CommandLine.TypeConversionException("a duration must be positive");
    }
    return duration;
  }

  Optional<Duration> parse(String text) {
    return DurationText.parse(text);
  }

  /** For a flag that always took seconds: a bare number is still seconds. */
  static final class BareSeconds extends DurationConverter {
    @Override
    Optional<Duration> parse(String text) {
      return DurationText.parseBareSeconds(text);
    }
  }
}
