package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.NodeScript;
import dev.teeagent.testing.TestAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite-wide check that {@code make test} runs after the integration tests
 * (src/test/js/verify-all-signed.mjs over every signed answer they received) is not a check that
 * cannot fail: it passes genuine answers, and names a tampered one, a lone surrogate, and an empty
 * record.
 */
class SignedAnswersCheckIT {
  @Test
  void passesGenuineAnswersAndFailsOnATamperedOneNamingIt(@TempDir Path dir) throws Exception {
    String genuine;
    try (TestAgent agent = TestAgent.start()) {
      genuine = agent.get("/api/v1/config").text();
      Files.writeString(dir.resolve("1-config.json"), genuine);
      Files.write(dir.resolve("2-not-found.json"), agent.get("/api/v1/nowhere").body());
    }
    NodeScript.Outcome pass = check(dir);
    assertThat(pass.exit()).as(pass.output()).isZero();
    assertThat(pass.output()).contains("all 2 signed answers verify");

    Files.writeString(
        dir.resolve("3-tampered.json"), genuine.replace("\"status\":200", "\"status\":201"));
    NodeScript.Outcome fail = check(dir);
    assertThat(fail.exit()).isEqualTo(1);
    assertThat(fail.output()).contains("1 of 3").contains("3-tampered.json");
    assertThat(fail.output()).doesNotContain("1-config.json");
  }

  @Test
  void failsOnALoneSurrogateAndOnNothingRecorded(@TempDir Path dir) throws Exception {
    assertThat(check(dir).exit()).isEqualTo(1);
    assertThat(check(dir).output()).contains("no signed answers recorded");
    try (TestAgent agent = TestAgent.start()) {
      String genuine = agent.get("/api/v1/config").text();
      // What the agent would have signed before issue 10 §3: a lone surrogate, escaped by JCS.
      Files.write(
          dir.resolve("lone.json"),
          genuine
              .replace("\"tee_name\":\"" + TestAgent.TEE_NAME, "\"tee_name\":\"a\\ud800")
              .getBytes(StandardCharsets.UTF_8));
    }
    NodeScript.Outcome fail = check(dir);
    assertThat(fail.exit()).isEqualTo(1);
    assertThat(fail.output()).contains("lone.json");
  }

  private static NodeScript.Outcome check(Path dir) {
    return NodeScript.outcome("src/test/js/verify-all-signed.mjs", dir.toString());
  }
}
