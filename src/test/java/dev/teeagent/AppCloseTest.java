package dev.teeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shutdown sequence's rule: a part that fails to stop neither stops the rest nor throws. */
class AppCloseTest {
  @Test
  void aPartThatThrowsOnCloseIsLoggedAndTheNextPartsAreStillClosed() {
    List<String> closed = new ArrayList<>();
    assertThatCode(
            () -> {
              App.closeLogging(
                  "the HTTP server",
                  () -> {
                    throw new IllegalStateException("stop timeout expired");
                  });
              App.closeLogging("the NSM", () -> closed.add("nsm"));
              App.closeLogging("the LLM client", () -> closed.add("llm"));
            })
        .doesNotThrowAnyException();
    assertThat(closed).containsExactly("nsm", "llm");
  }
}
