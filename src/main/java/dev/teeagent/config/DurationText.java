package dev.teeagent.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every flag: a whole number with a unit ({@code 500ms}, {@code 90s},
 * {@code 10m}, {@code 2h}) or ISO-8601 ({@code PT10M}). Each flag still sets its own range.
 */
public final class DurationText {
  /** What the sentence of a refusal shows as examples. */
  public static final String EXAMPLES = "500ms, 90s, 10m or 2h";

  private static final Pattern WITH_UNIT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private DurationText() {}

  /**
   * For the flags that always took seconds ({@code --max-age}, {@code --max-clock-skew}): a bare
   * whole number is seconds, anything else is {@link #parse}.
   */
  public static Optional<Duration> parseBareSeconds(String text) {
    String plain = text.strip();
    if (plain.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(plain)));
    }
    return parse(plain);
  }

  /** The duration {@code text} names, never negative; empty when it is not a duration. */
  public static Optional<Duration> parse(String text) {
    String plain = text.strip();
    Matcher m = WITH_UNIT.matcher(plain.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      return Optional.of(
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
          });
    }
    try {
      Duration iso = Duration.parse(plain);
      return iso.isNegative() ? Optional.empty() : Optional.of(iso);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** {@code duration} in this syntax, in its largest whole unit ({@code 24h}, {@code 90s}). */
  public static String format(Duration duration) {
    if (duration.toMillis() % 1000 != 0) {
      return duration.toMillis() + "ms";
    }
    long seconds = duration.toSeconds();
    return seconds % 3600 == 0
        ? seconds / 3600 + "h"
        : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }
}
