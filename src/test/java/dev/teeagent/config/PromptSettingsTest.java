package dev.teeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PromptSettingsTest {
  private static final PromptSettings.Flags NONE =
      new PromptSettings.Flags(null, null, null, null, null, null);

  @Test
  void defaultsAreTenSecondsToConnectAndTwoMinutesPerPrompt() {
    PromptSettings settings = PromptSettings.load(NONE);
    assertThat(settings).isEqualTo(PromptSettings.defaults());
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.callTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(settings.maxConcurrent()).isEqualTo(64);
    assertThat(settings.maxRetries()).isEqualTo(2);
    assertThat(settings.maxRetryWait()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void flagsTakeDurationsInMillisecondsSecondsOrMinutes() {
    PromptSettings settings =
        PromptSettings.load(new PromptSettings.Flags("500ms", "30s", "2m", 8, 0, "0s"));
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.callTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.maxConcurrent()).isEqualTo(8);
    assertThat(settings.maxRetries()).isZero();
    assertThat(settings.maxRetryWait()).isEqualTo(Duration.ZERO);
  }

  @Test
  void theLlmTimeoutTakesHoursLikeEveryOtherDurationFlag() {
    PromptSettings settings =
        PromptSettings.load(new PromptSettings.Flags(null, null, "1h", null, null, null));
    assertThat(settings.callTimeout()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aDurationWithoutUnitIsRefusedNamingTheFlag() {
    assertThatThrownBy(
            () -> PromptSettings.load(new PromptSettings.Flags("10", null, null, null, null, null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--llm-connect-timeout:");
  }

  @Test
  void outOfRangeValuesAreRefusedNamingTheFlag() {
    assertThatThrownBy(
            () ->
                PromptSettings.load(new PromptSettings.Flags(null, "5ms", null, null, null, null)))
        .hasMessageStartingWith("--llm-read-timeout:");
    assertThatThrownBy(
            () -> PromptSettings.load(new PromptSettings.Flags(null, null, "2h", null, null, null)))
        .hasMessageStartingWith("--llm-timeout: must be between");
    assertThatThrownBy(
            () -> PromptSettings.load(new PromptSettings.Flags(null, null, null, 0, null, null)))
        .hasMessageStartingWith("--llm-max-concurrent:");
    assertThatThrownBy(
            () -> PromptSettings.load(new PromptSettings.Flags(null, null, null, null, 6, null)))
        .hasMessageStartingWith("--llm-max-retries:");
    assertThatThrownBy(
            () -> PromptSettings.load(new PromptSettings.Flags(null, null, null, null, null, "2m")))
        .hasMessageStartingWith("--llm-max-retry-wait:");
  }

  @Test
  void anOverallTimeoutShorterThanTheConnectTimeoutIsRefused() {
    assertThatThrownBy(
            () ->
                PromptSettings.load(new PromptSettings.Flags("20s", null, "5s", null, null, null)))
        .hasMessage("--llm-timeout: must not be shorter than --llm-connect-timeout");
  }
}
