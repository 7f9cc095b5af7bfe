package dev.teeagent.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.json.JsonMappers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A failed fetch reads as a sentence that says what happened, never an exception's name. */
class AgentVerifierFetchTest {
  private final AgentVerifier verifier =
      new AgentVerifier(
          new AttestationVerifier(TrustedRoot.aws(), Clock.systemUTC()),
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
          JsonMappers.strict(),
          new SecureRandom());

  private String fetchFailure(URI url) {
    AgentVerifier.AgentReport report =
        verifier.verify(
            url, new AgentVerifier.Options(ExpectedPcrs.none(), Duration.ofMinutes(5), false));
    assertThat(report.passed()).isFalse();
    VerificationReport.Step step = report.report().failures().getFirst();
    assertThat(step.check()).isEqualTo(Check.FETCH);
    return step.detail();
  }

  @Test
  void aClosedPortSaysNothingAnswersThere() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    assertThat(fetchFailure(URI.create("http://127.0.0.1:" + port)))
        .isEqualTo(
            "GET /api/v1/attestation failed: nothing answers at 127.0.0.1:"
                + port
                + " — is the agent running?")
        .doesNotContain("Exception");
  }

  @Test
  void aHostThatHangsUpSaysTheConnectionBroke() throws Exception {
    Thread hangUp;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // Every connection is closed once the request has begun (the JDK client retries a GET once).
      hangUp =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!server.isClosed()) {
                      try (Socket socket = server.accept()) {
                        socket.getInputStream().read();
                      } catch (IOException closed) {
                        return;
                      }
                    }
                  });
      assertThat(fetchFailure(URI.create("http://127.0.0.1:" + server.getLocalPort())))
          .isEqualTo(
              "GET /api/v1/attestation failed: the connection broke before a whole answer"
                  + " arrived");
    }
    hangUp.join();
  }
}
