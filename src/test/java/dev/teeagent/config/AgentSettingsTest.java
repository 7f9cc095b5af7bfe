package dev.teeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {
  private static final String OPERATOR = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
  private static final AgentSettings.Flags NO_FLAGS =
      new AgentSettings.Flags(null, null, null, null);

  @Test
  void readsTheEnvironmentWhenNoFlagsAreGiven() {
    AgentSettings settings =
        AgentSettings.load(NO_FLAGS, Map.of("TEE_NAME", "env-agent", "OPERATOR_ADDRESS", OPERATOR));
    assertThat(settings.teeName()).isEqualTo("env-agent");
    assertThat(settings.operator().checksummed()).isEqualTo(OPERATOR);
    assertThat(settings.host()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isEqualTo(7047);
  }

  @Test
  void flagsWinOverTheEnvironment() {
    String other = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    AgentSettings settings =
        AgentSettings.load(
            new AgentSettings.Flags("flag-agent", other, "0.0.0.0", 9000),
            Map.of("TEE_NAME", "env-agent", "OPERATOR_ADDRESS", OPERATOR));
    assertThat(settings.teeName()).isEqualTo("flag-agent");
    assertThat(settings.operator().checksummed()).isEqualTo(other);
    assertThat(settings.host()).isEqualTo("0.0.0.0");
    assertThat(settings.port()).isEqualTo(9000);
  }

  @Test
  void rejectsAMixedCaseOperatorWithAWrongChecksumNamingTheSetting() {
    String wrongChecksum = "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    assertThatThrownBy(
            () ->
                AgentSettings.load(
                    new AgentSettings.Flags("a", wrongChecksum, null, null), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--operator / OPERATOR_ADDRESS")
        .hasMessageContaining("checksum");
  }

  @Test
  void rejectsAnOperatorThatIsNotTwentyBytes() {
    assertThatThrownBy(
            () ->
                AgentSettings.load(NO_FLAGS, Map.of("TEE_NAME", "a", "OPERATOR_ADDRESS", "0x1234")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--operator / OPERATOR_ADDRESS");
  }

  @Test
  void rejectsAMissingOperator() {
    assertThatThrownBy(() -> AgentSettings.load(NO_FLAGS, Map.of("TEE_NAME", "a")))
        .hasMessageStartingWith("--operator / OPERATOR_ADDRESS");
  }

  @Test
  void rejectsAnEmptyTeeName() {
    assertThatThrownBy(
            () ->
                AgentSettings.load(
                    NO_FLAGS, Map.of("TEE_NAME", "  ", "OPERATOR_ADDRESS", OPERATOR)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--tee-name / TEE_NAME");
    assertThatThrownBy(() -> AgentSettings.load(NO_FLAGS, Map.of("OPERATOR_ADDRESS", OPERATOR)))
        .hasMessageStartingWith("--tee-name / TEE_NAME");
  }

  @Test
  void rejectsAPortOutOfRange() {
    assertThatThrownBy(
            () -> AgentSettings.load(new AgentSettings.Flags("a", OPERATOR, null, 70000), Map.of()))
        .hasMessageStartingWith("--port");
  }
}
