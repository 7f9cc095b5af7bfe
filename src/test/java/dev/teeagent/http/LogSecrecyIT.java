package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.LogCapture;
import dev.teeagent.testing.TestAgent;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The private key appears in no log line at any level, across boot, requests, errors and stop. */
class LogSecrecyIT {
  /**
   * A SecureRandom that answers every 32-byte request with a known key, so the test knows what must
   * never be logged whichever 32-byte draw becomes the agent key.
   */
  private static final class KnownKeyRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] key;

    KnownKeyRandom(byte[] key) {
      this.key = key.clone();
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      if (bytes.length == key.length) {
        System.arraycopy(key, 0, bytes, 0, key.length);
      } else {
        super.nextBytes(bytes);
      }
    }
  }

  @Test
  void privateKeyNeverAppearsInLogsAtAnyLevel() {
    byte[] key =
        HexFormat.of().parseHex("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    List<String> lines;
    try (LogCapture logs = LogCapture.start()) {
      try (TestAgent agent = TestAgent.start(Clock.systemUTC(), new KnownKeyRandom(key))) {
        assertThat(agent.address()).isEqualTo("0x2c7536E3605D9C16a7a3D7b1898e529396a65c23");
        agent.get("/api/v1/config", Map.of("X-Client-Nonce", "n"));
        agent.get("/api/v1/nothing-here");
        agent.post("/api/v1/config", "{\"a\":1}");
        agent.get("/api/v1/config", Map.of("X-Client-Nonce", "x".repeat(80)));
      }
      lines = logs.lines(); // the stop included
    }
    assertThat(lines).isNotEmpty();
    List<String> forbidden =
        List.of(
            HexFormat.of().formatHex(key),
            HexFormat.of().withUpperCase().formatHex(key),
            new BigInteger(1, key).toString(),
            Base64.getEncoder().encodeToString(key));
    for (String line : lines) {
      for (String secret : forbidden) {
        assertThat(line).doesNotContain(secret);
      }
    }
  }
}
