package dev.teeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ListenerSettingsTest {
  @Test
  void plainHttpOnlyUnlessAnHttpsPortIsGiven() {
    assertThat(ListenerSettings.load(null, false)).isEqualTo(ListenerSettings.plainOnly());
    assertThat(ListenerSettings.load(7443, false).httpsPort()).isEqualTo(OptionalInt.of(7443));
    assertThat(ListenerSettings.load(7443, true).plainHttp()).isFalse();
  }

  @Test
  void switchingPlainHttpOffWithoutHttpsIsRefusedNamingBothFlags() {
    assertThatThrownBy(() -> ListenerSettings.load(null, true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--no-plain-http")
        .hasMessageContaining("--https-port");
  }

  @Test
  void anHttpsPortOutOfRangeIsRefusedNamingTheFlag() {
    assertThatThrownBy(() -> ListenerSettings.load(70000, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--https-port");
  }
}
