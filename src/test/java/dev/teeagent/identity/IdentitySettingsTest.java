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
    return new IdentitySettings.Flags(dir, null, endpoint, keyId, region, null, newIdentity);
  }

  private static IdentitySettings.Flags enclave(String stateUrl, String credentials) {
    return new IdentitySettings.Flags(
        null, stateUrl, null, "key-1", "eu-west-1", credentials, false);
  }

  @Test
  void inAnEnclaveTheStateIsTheHostsStoreAndTheCredentialsTheInstanceRoles() {
    IdentitySettings settings =
        IdentitySettings.load(enclave("http://192.168.127.254:7048", "instance-role"), Map.of())
            .orElseThrow();
    assertThat(settings.folder()).isInstanceOf(HostSnapshotFolder.class);
    assertThat(settings.folder().where()).isEqualTo("--state-url http://192.168.127.254:7048");
    assertThat(settings.kms().instanceRole())
        .contains(java.net.URI.create("http://169.254.169.254"));
    assertThat(settings.kms().toString()).contains("instanceRole=http://169.254.169.254");
    assertThat(
            IdentitySettings.load(
                    enclave("http://127.0.0.1:1", "instance-role=http://127.0.0.1:2"), Map.of())
                .orElseThrow()
                .kms()
                .instanceRole())
        .contains(java.net.URI.create("http://127.0.0.1:2"));
  }

  @Test
  void aBadStateUrlOrCredentialSourceOrBothPlacesAreRefusedByName() {
    assertThatThrownBy(() -> IdentitySettings.load(enclave("https://host:1", "env"), CREDENTIALS))
        .hasMessageStartingWith("--state-url: not an http://host:port URL");
    assertThatThrownBy(
            () -> IdentitySettings.load(enclave("http://h:1", "instance-role=ftp://x"), Map.of()))
        .hasMessageStartingWith("--kms-credentials: env (AWS_* variables), instance-role");
    assertThatThrownBy(() -> IdentitySettings.load(enclave("http://h:1", "role"), Map.of()))
        .hasMessageStartingWith("--kms-credentials");
    assertThatThrownBy(
            () ->
                IdentitySettings.load(
                    new IdentitySettings.Flags(
                        DIR, "http://h:1", null, "key-1", "eu-west-1", null, false),
                    CREDENTIALS))
        .hasMessageStartingWith("--state-url: not with --state-dir");
    assertThatThrownBy(
            () ->
                IdentitySettings.load(
                    new IdentitySettings.Flags(null, null, null, null, null, "env", false),
                    CREDENTIALS))
        .hasMessageStartingWith("--kms-credentials: only with --state-dir or --state-url");
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
