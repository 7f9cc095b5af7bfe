package dev.teeagent.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
  @Test
  void encodesWellFormedTextAsGetBytesDoes() {
    String text = "héllo ✓ 🚀 \uD834\uDD1E";
    assertThat(Utf8.strict(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void refusesALoneSurrogateWhereGetBytesWritesAQuestionMark() {
    assertThat("a\uD800".getBytes(StandardCharsets.UTF_8)).isEqualTo("a?".getBytes());
    assertThatThrownBy(() -> Utf8.strict("a\uD800")).isInstanceOf(IllegalArgumentException.class);
  }
}
