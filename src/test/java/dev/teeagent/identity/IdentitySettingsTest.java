package dev.teeagent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.config.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** serve's sealed-identity settings: absent without --state-dir, every error names its flag. */
class IdentitySettingsTest {
  private static final Map<String, String> CREDENTIALS =
      Map.of("AWS_ACCESS_KEY_ID", "AKIDHOST", "AWS_SECRET_ACCESS_KEY", "secret");
  private static final Path DIR = Path.of("state");

  private static IdentitySettings.Flags flags(
      Path dir, String endpoint, String keyId, String region, boolean newIdentity) {
    return new IdentitySettings.Flags(dir, endpoint, keyId, region, newIdentity);
  }

  @Test
  void withoutAStateFolderThereIsNoSealedIdentity() {
    assertThat(IdentitySettings.load(flags(null, null, null, null, false), CREDENTIALS)).isEmpty();
  }

  @Test
  void aKmsFlagOrNewIdentityWithoutAStateFolderIsRefusedByName() {
    assertThatThrownBy(
            () -> IdentitySettings.load(flags(null, null, null, "eu-west-1", false), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--kms-region");
    assertThatThrownBy(() -> IdentitySettings.load(flags(null, null, null, null, true), Map.of()))
        .hasMessageStartingWith("--new-identity");
  }

  @Test
  void eachMissingOrBadSettingNamesItsFlag() {
    assertThatThrownBy(
            () -> IdentitySettings.load(flags(DIR, null, null, "eu-west-1", false), CREDENTIALS))
        .hasMessageStartingWith("--kms-key-id");
    assertThatThrownBy(() -> IdentitySettings.load(flags(DIR, null, "k", null, false), CREDENTIALS))
        .hasMessageStartingWith("--kms-region");
    assertThatThrownBy(
            () -> IdentitySettings.load(flags(DIR, null, "k", "Europe", false), CREDENTIALS))
        .hasMessageStartingWith("--kms-region");
    assertThatThrownBy(
            () ->
                IdentitySettings.load(
                    flags(DIR, "ftp://kms", "k", "eu-west-1", false), CREDENTIALS))
        .hasMessageStartingWith("--kms-endpoint");
    assertThatThrownBy(
            () -> IdentitySettings.load(flags(DIR, null, "k", "eu-west-1", false), Map.of()))
        .hasMessageStartingWith("--state-dir")
        .hasMessageContaining("AWS_ACCESS_KEY_ID");
  }

  @Test
  void credentialsComeFromTheEnvironmentAndNeverShowInToString() {
    IdentitySettings settings =
        IdentitySettings.load(
                flags(DIR, "http://127.0.0.1:4599", "k", "eu-west-1", true),
                Map.of(
                    "AWS_ACCESS_KEY_ID",
                    "AKIDHOST",
                    "AWS_SECRET_ACCESS_KEY",
                    "very-secret",
                    "AWS_SESSION_TOKEN",
                    "token-secret"))
            .orElseThrow();

    assertThat(settings.newIdentity()).isTrue();
    assertThat(settings.kms().sessionToken()).contains("token-secret");
    assertThat(settings.toString()).doesNotContain("very-secret").doesNotContain("token-secret");
  }
}
