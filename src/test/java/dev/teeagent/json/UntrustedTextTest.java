package dev.teeagent.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.RandomCases;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UntrustedTextTest {
  @Test
  void controlCharactersBecomeQuestionMarksAndLineBreaksSpaces() {
    assertThat(UntrustedText.quote("bell\u0007 esc\u001b[31m del\u007f c1\u0085", 100))
        .isEqualTo("bell? esc?[31m del? c1?");
    assertThat(UntrustedText.quote("two\nlines\r\nand\ttab", 100)).isEqualTo("two lines  and tab");
  }

  @Test
  void textThatHidesOrReordersItselfIsShownAsQuestionMarks() {
    // Right-to-left override, zero-width space, line separator, lone surrogate, private use.
    assertThat(UntrustedText.quote("a\u202Eb\u200Bc\u2028d\uD800e\uE000f", 100))
        .isEqualTo("a?b?c?d?e?f");
  }

  @Test
  void lettersOfAnyScriptSymbolsAndEmojiStay() {
    String shown = "Zürich € ✓ 🚀 日本 \"quoted\" \\ 100%";
    assertThat(UntrustedText.quote(shown, 100)).isEqualTo(shown);
  }

  @Test
  void longTextIsCutAtTheBoundWithAnEllipsisAndNeverInsideAPair() {
    assertThat(UntrustedText.quote("abcdef", 4)).isEqualTo("abcd…");
    assertThat(UntrustedText.quote("abcd", 4)).isEqualTo("abcd");
    assertThat(UntrustedText.quote("abc🚀", 5)).isEqualTo("abc🚀");
    assertThat(UntrustedText.quote("abc🚀x", 4)).isEqualTo("abc…");
    assertThat(UntrustedText.quote(null, 4)).isEmpty();
  }

  @Test
  void whateverComesInWhatGoesOutIsOneBoundedWellFormedLine() {
    Random random = new Random(12);
    for (int i = 0; i < 2000; i++) {
      String text =
          random.nextBoolean()
              ? RandomCases.chars(random, 0, 300, '\u0000', '\uffff')
              : RandomCases.chars(random, 0, 300, '\u0000', '\u00a0');
      String quoted = UntrustedText.quote(text, 120);
      assertThat(quoted.length()).isLessThanOrEqualTo(121);
      assertThat(WellFormed.hasLoneSurrogate(quoted)).isFalse();
      assertThat(quoted.codePoints().noneMatch(c -> Character.isISOControl(c))).isTrue();
      assertThat(quoted.codePoints().noneMatch(c -> Character.getType(c) == Character.FORMAT))
          .isTrue();
    }
  }
}
