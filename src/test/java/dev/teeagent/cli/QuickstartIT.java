package dev.teeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.MarkdownCommands;
import dev.teeagent.testing.NodeScript;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's five-minute tour and docs/quickstart.md, run block by block as a reader runs them:
 * the chain (anvil), the committed LLM stub and {@code make run} started by the page's own
 * commands, then every command, its output compared with the block shown after it. Each page runs
 * on its own free ports and in its own scratch folder.
 */
class QuickstartIT {
  /** The steps the README promises its tour shows, each as a command the tour must run. */
  private static final List<String> TOUR =
      List.of(
          "make run",
          "/api/v1/config",
          "operator set",
          "/api/v1/prompt",
          "/api/v1/sign-transaction",
          "./tee-agent verify");

  private static List<String> runAsWritten(String page, Path scratch) throws IOException {
    int agent = CliSentencesTest.closedPort();
    try (MarkdownCommands docs =
        MarkdownCommands.in(scratch)
            .port(7047, agent)
            .port(8545, CliSentencesTest.closedPort())
            .port(18080, CliSentencesTest.closedPort())
            .replace("make run", "make run PORT=" + agent + " SCRATCH=" + scratch)) {
      return docs.runPage(NodeScript.projectDir().resolve(page));
    }
  }

  @Test
  void theReadmeTourRunsAsWrittenAndShowsEveryStep(@TempDir Path scratch) throws IOException {
    String ran = String.join("\n", runAsWritten("README.md", scratch));
    for (String step : TOUR) {
      assertThat(ran).as("the tour runs " + step).contains(step);
    }
  }

  @Test
  void theQuickstartRunsAsWritten(@TempDir Path scratch) throws IOException {
    String ran = String.join("\n", runAsWritten("docs/quickstart.md", scratch));
    for (String step : TOUR) {
      assertThat(ran).as("the quickstart runs " + step).contains(step);
    }
    assertThat(ran).contains("/api/v1/audit").contains("verifyMessage");
  }

  @Test
  void aBlockShownAfterACommandMustMatchItsOutputLineForLine() {
    assertThat(MarkdownCommands.matches("{\"address\": \"0x…\"}\n", "{\"address\": \"0xAb12\"}\n"))
        .isTrue();
    assertThat(MarkdownCommands.matches("ok    fetch: …\n", "ok    fetch: a\nb\n")).isFalse();
    assertThat(MarkdownCommands.matches("{\"status\":200}\n", "{\"status\":400}\n")).isFalse();
  }
}
