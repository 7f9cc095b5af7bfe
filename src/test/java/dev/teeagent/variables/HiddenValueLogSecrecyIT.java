package dev.teeagent.variables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.LogCapture;
import dev.teeagent.testing.OperatorCommands;
import dev.teeagent.testing.TestAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hidden values appear in no log line at any level (neither plaintext nor ciphertext), across
 * accepted batches, refused batches and reads — and in no answer either.
 */
class HiddenValueLogSecrecyIT {
  private static final String SECRET = "sk-or-v1-hidden-4f1c2a9e77d0";
  private static final String OTHER_SECRET = "second-secret-b83e01";

  @Test
  void neitherThePlaintextNorTheCiphertextOfAHiddenValueIsEverLogged() {
    List<String> forbidden = new ArrayList<>(List.of(SECRET, OTHER_SECRET));
    List<String> answers = new ArrayList<>();
    List<String> lines;
    // The agent's own loggers at TRACE; third-party libraries at the shipped level.
    try (LogCapture logs = LogCapture.agentAtTrace()) {
      try (TestAgent agent = TestAgent.start()) {
        OperatorCommands first = agent.operator();
        String ciphertext = first.seal("llm_api_key", SECRET);
        forbidden.add(ciphertext.substring(2));
        forbidden.add(ciphertext.substring(2).toUpperCase(java.util.Locale.ROOT));
        answers.add(
            first
                .command(VariableCommand.set("llm_api_key", ciphertext, true, false))
                .send(Map.of("X-Client-Nonce", "a"))
                .text());
        // Refused batches carrying secrets: a replay, a plaintext hidden value, a wrong target.
        answers.add(
            agent
                .operator()
                .nonce(java.math.BigInteger.ZERO)
                .setHidden("x", OTHER_SECRET)
                .send()
                .text());
        answers.add(
            agent
                .operator()
                .command(VariableCommand.set("plain_hidden", OTHER_SECRET, true, false))
                .send()
                .text());
        OperatorCommands moved = agent.operator();
        String wrongName = moved.seal("not_this_one", OTHER_SECRET);
        forbidden.add(wrongName.substring(2));
        answers.add(
            moved.command(VariableCommand.set("this_one", wrongName, true, false)).send().text());
        answers.add(agent.post("/api/v1/variables", "{\"commands\":[" + OTHER_SECRET).text());
        answers.add(agent.get("/api/v1/variables").text());
        answers.add(agent.get("/api/v1/variables/llm_api_key").text());
        answers.add(agent.get("/api/v1/audit").text());
        answers.add(agent.get("/api/v1/config").text());
      }
      lines = logs.lines();
    }

    assertThat(lines).isNotEmpty();
    assertThat(lines).anyMatch(line -> line.contains("operator batch 0 accepted"));
    for (String line : lines) {
      for (String secret : forbidden) {
        assertThat(line).doesNotContain(secret);
      }
    }
    for (String answer : answers) {
      for (String secret : forbidden) {
        assertThat(answer).doesNotContain(secret);
      }
    }
  }
}
