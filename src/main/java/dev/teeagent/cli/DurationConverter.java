package dev.teeagent.cli;

import dev.teeagent.config.DurationText;
import java.time.Duration;
import picocli.CommandLine;

/** A positive Duration in the one syntax of {@link DurationText}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String text) {
    Duration duration =
        DurationText.parse(text)
            .orElseThrow(
                () ->
                    new CommandLine.TypeConversionException(
                        "a duration is like " + DurationText.EXAMPLES));
    if (duration.isZero()) {
      throw new CommandLine.TypeConversionException("a duration must be positive");
    }
    return duration;
  }
}
