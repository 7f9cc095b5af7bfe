package dev.teeagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {
  @Test
  void everyUnitAndIsoAreOneSyntax() {
    assertThat(DurationText.parse("500ms")).contains(Duration.ofMillis(500));
    assertThat(DurationText.parse("90s")).contains(Duration.ofSeconds(90));
    assertThat(DurationText.parse("10m")).contains(Duration.ofMinutes(10));
    assertThat(DurationText.parse("2h")).contains(Duration.ofHours(2));
    assertThat(DurationText.parse(" 2H ")).contains(Duration.ofHours(2));
    assertThat(DurationText.parse("PT10M")).contains(Duration.ofMinutes(10));
    assertThat(DurationText.parse("0s")).contains(Duration.ZERO);
  }

  @Test
  void numbersWithoutUnitNegativesAndWordsAreNotDurations() {
    assertThat(DurationText.parse("10")).isEmpty();
    assertThat(DurationText.parse("PT-5S")).isEmpty();
    assertThat(DurationText.parse("-5s")).isEmpty();
    assertThat(DurationText.parse("2 days")).isEmpty();
    assertThat(DurationText.parse("1234567890s")).isEmpty();
  }

  @Test
  void forTheFlagsThatTookSecondsABareNumberIsSecondsAndTheRestIsTheOneSyntax() {
    assertThat(DurationText.parseBareSeconds("300")).contains(Duration.ofSeconds(300));
    assertThat(DurationText.parseBareSeconds(" 7 ")).contains(Duration.ofSeconds(7));
    assertThat(DurationText.parseBareSeconds("2h")).contains(Duration.ofHours(2));
    assertThat(DurationText.parseBareSeconds("-5")).isEmpty();
    assertThat(DurationText.parseBareSeconds("1234567890")).isEmpty();
  }
}
