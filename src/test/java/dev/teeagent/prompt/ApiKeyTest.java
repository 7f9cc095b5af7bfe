package dev.teeagent.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeyTest {
  private static final String KEY = "sk-proj-Xy7Qw2Er4Ty6Ui8Op0As3Df5Gh7Jk9Lz";
  private final ApiKey key = new ApiKey(KEY);

  @Test
  void toStringNeverShowsTheKeyButTheHeaderCarriesIt() {
    assertThat(key.toString()).doesNotContain(KEY).contains("redacted");
    assertThat(key.bearer()).isEqualTo("Bearer " + KEY);
  }

  @Test
  void scrubsTheWholeKeyAndWithholdsMessagesQuotingAPieceOfIt() {
    assertThat(key.scrub("Incorrect API key provided: " + KEY + "."))
        .isEqualTo("Incorrect API key provided: [redacted].");
    assertThat(key.scrub("key ending " + KEY.substring(KEY.length() - 14) + " is revoked"))
        .doesNotContain(KEY.substring(KEY.length() - 12))
        .contains("withheld");
    assertThat(key.scrub("No auth credentials found")).isEqualTo("No auth credentials found");
    assertThat(key.scrub(null)).isNull();
  }
}
