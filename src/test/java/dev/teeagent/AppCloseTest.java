package dev.teeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.teeagent.testing.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The shutdown sequence's rules: parts close last opened first, a part that fails to stop neither
 * stops the rest nor throws, and a part still being made is closed once made.
 */
class AppCloseTest {
  @Test
  void aPartThatThrowsOnCloseIsLoggedAndTheNextPartsAreStillClosed() {
    List<String> closed = new ArrayList<>();
    OpenedParts opened = new OpenedParts();
    opened.add("the LLM client", () -> closed.add("llm"));
    opened.add("the NSM", () -> closed.add("nsm"));
    opened.add(
        "the HTTP server",
        () -> {
          throw new IllegalStateException("stop timeout expired");
        });
    try (LogCapture log = LogCapture.agentAtTrace()) {
      assertThatCode(opened::close).doesNotThrowAnyException();
      assertThat(log.lines())
          .anyMatch(line -> line.contains("stopping the HTTP server failed"))
          .anyMatch(line -> line.contains("stop timeout expired"));
    }
    assertThat(closed).containsExactly("nsm", "llm");
  }

  @Test
  void partsCloseInTheReverseOrderOfOpeningAndOnlyOnce() {
    List<String> closed = new ArrayList<>();
    OpenedParts opened = new OpenedParts();
    for (String part : List.of("nsm", "rpc", "llm", "sealed", "server", "refresh")) {
      opened.add(part, () -> closed.add(part));
    }
    opened.close();
    opened.close();
    assertThat(closed).containsExactly("refresh", "server", "sealed", "llm", "rpc", "nsm");
  }

  @Test
  void aPartStillBeingMadeIsClosedOnceMadeAndOneThatFailedToBeMadeIsSkipped() {
    List<String> closed = new ArrayList<>();
    CompletableFuture<AutoCloseable> pending = new CompletableFuture<>();
    OpenedParts opened = new OpenedParts();
    var _ =
        opened.add(
            "the failed client", CompletableFuture.failedFuture(new IllegalStateException()));
    var _ = opened.add("the pending client", pending);
    CompletableFuture<Void> closing = CompletableFuture.runAsync(opened::close);
    assertThat(closing).isNotDone();
    pending.complete(() -> closed.add("pending"));
    assertThat(closing).succeedsWithin(java.time.Duration.ofSeconds(30));
    assertThat(closed).containsExactly("pending");
  }
}
