package dev.teeagent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@link StartedAgent}'s promise: a static field's agent is running from the first
 * {@code @BeforeAll} to the last {@code @AfterAll}, an instance field's from {@code @BeforeEach} to
 * {@code @AfterEach} of its test, and each is closed (its port shut) once its scope ends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StartedAgentIT {
  @StartedAgent private static TestAgent shared;
  @StartedAgent private TestAgent perTest;

  private static final List<Integer> perTestPorts = new ArrayList<>();

  @BeforeAll
  static void theSharedAgentRunsBeforeAll() {
    assertThat(shared.get("/api/v1/config").status()).isEqualTo(200);
  }

  @BeforeEach
  void bothRunBeforeEach() {
    assertThat(perTest.get("/api/v1/config").status()).isEqualTo(200);
    assertThat(perTest.address()).isNotEqualTo(shared.address());
    perTestPorts.add(port(perTest));
  }

  @Test
  @Order(1)
  void aTestGetsItsOwnAgent() {
    assertThat(perTestPorts).hasSize(1);
  }

  @Test
  @Order(2)
  void theAgentOfTheTestBeforeIsClosed() {
    assertThat(perTestPorts).hasSize(2);
    assertThat(listening(perTestPorts.get(0))).isFalse();
    assertThat(listening(perTestPorts.get(1))).isTrue();
  }

  @AfterEach
  void theTestsAgentStillRunsAfterEach() {
    assertThat(perTest.get("/api/v1/config").status()).isEqualTo(200);
  }

  @AfterAll
  static void theSharedAgentStillRunsAfterAll() {
    assertThat(shared.get("/api/v1/config").status()).isEqualTo(200);
    assertThat(listening(perTestPorts.get(1))).isFalse();
  }

  private static int port(TestAgent agent) {
    return Integer.parseInt(agent.baseUrl().substring(agent.baseUrl().lastIndexOf(':') + 1));
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return socket.isConnected();
    } catch (IOException e) {
      return false;
    }
  }
}
