package dev.teeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.nsm.AttestationMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttestationSettingsTest {
  @TempDir Path dir;

  private AttestationSettings load(String mode, Path device) {
    return AttestationSettings.load(new AttestationSettings.Flags(mode, null, null, null), device);
  }

  @Test
  void autoIsNitroExactlyWhenTheDeviceExists() throws Exception {
    Path device = dir.resolve("nsm");
    assertThat(load(null, device).mode()).isEqualTo(AttestationMode.SIMULATED);
    Files.createFile(device);
    assertThat(load(null, device).mode()).isEqualTo(AttestationMode.NITRO);
    assertThat(load("AUTO", device).mode()).isEqualTo(AttestationMode.NITRO);
  }

  @Test
  void nitroWithoutTheDeviceFailsNamingTheFlag() {
    assertThatThrownBy(() -> load("nitro", dir.resolve("nsm")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--attestation nitro")
        .hasMessageContaining("does not exist");
  }

  @Test
  void simulatedIsAlwaysAvailableAndOtherModesAreRefused() throws Exception {
    Path device = Files.createFile(dir.resolve("nsm"));
    assertThat(load("simulated", device).mode()).isEqualTo(AttestationMode.SIMULATED);
    assertThatThrownBy(() -> load("tpm", device)).hasMessageContaining("auto, nitro or simulated");
  }

  @Test
  void limitsHaveDefaultsAndBounds() {
    AttestationSettings defaults = load("simulated", dir.resolve("nsm"));
    assertThat(defaults.perSecond()).isEqualTo(10);
    assertThat(defaults.maxClockSkew()).isEqualTo(Duration.ofSeconds(60));
    AttestationSettings custom =
        AttestationSettings.load(
            new AttestationSettings.Flags("simulated", 3, "5", dir.resolve("root.pem")),
            dir.resolve("nsm"));
    assertThat(custom.perSecond()).isEqualTo(3);
    assertThat(custom.maxClockSkew()).isEqualTo(Duration.ofSeconds(5));
    assertThat(custom.simulatedRootOut()).contains(dir.resolve("root.pem"));
    assertThatThrownBy(
            () ->
                AttestationSettings.load(
                    new AttestationSettings.Flags("simulated", 0, null, null), dir.resolve("nsm")))
        .hasMessageContaining("--attestation-rate");
    assertThatThrownBy(() -> withClockSkew("0")).hasMessageContaining("--max-clock-skew");
    assertThat(withClockSkew("2m").maxClockSkew()).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> withClockSkew("soon"))
        .hasMessageStartingWith("--max-clock-skew: must be seconds or a duration");
  }

  private AttestationSettings withClockSkew(String maxClockSkew) {
    return AttestationSettings.load(
        new AttestationSettings.Flags("simulated", null, maxClockSkew, null), dir.resolve("nsm"));
  }

  @Test
  void theSimulatedRootCanOnlyBeWrittenInSimulatedMode() throws Exception {
    Path device = Files.createFile(dir.resolve("nsm"));
    assertThatThrownBy(
            () ->
                AttestationSettings.load(
                    new AttestationSettings.Flags("auto", null, null, dir.resolve("root.pem")),
                    device))
        .hasMessageContaining("--simulated-root-out");
  }
}
