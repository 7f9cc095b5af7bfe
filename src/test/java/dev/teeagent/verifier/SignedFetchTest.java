package dev.teeagent.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.teeagent.crypto.Jcs;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.json.JsonMappers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one fetch of a signed answer, against a host that may answer anything. */
class SignedFetchTest {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private final SigningKey agent = SigningKey.generate(new SecureRandom());
  private final AtomicReference<byte[]> answer = new AtomicReference<>();
  private final AtomicReference<Integer> status = new AtomicReference<>(200);
  private HttpServer host;
  private final SignedFetch fetch = new SignedFetch(HttpClient.newHttpClient(), MAPPER);

  @BeforeEach
  void start() throws IOException {
    host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    host.createContext(
        "/",
        exchange -> {
          byte[] body = answer.get();
          exchange.sendResponseHeaders(status.get(), 0);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          } catch (IOException clientStoppedReading) {
            // expected when the client has read its fill
          }
        });
    host.start();
  }

  @AfterEach
  void stop() {
    host.stop(0);
  }

  private HttpRequest get() {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + host.getAddress().getPort() + "/api/v1/config"))
        .build();
  }

  private byte[] signed(ObjectNode payload, SigningKey key) {
    payload.put("signer", key.address().checksummed());
    payload.put("signature", key.signPersonalMessage(Jcs.canonicalize(payload)).toHex());
    return payload.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSignedAnswerComesBackWithItsSignerWhateverItsStatus() throws Exception {
    answer.set(signed(MAPPER.createObjectNode().put("status", 429), agent));
    status.set(429);

    SignedFetch.Answer fetched = fetch.fetch(get());

    assertThat(fetched.status()).isEqualTo(429);
    assertThat(fetched.verified().signer()).isEqualTo(agent.address());
    assertThat(fetched.verified().body().path("status").asInt()).isEqualTo(429);
    assertThat(fetched.peerPin()).isEmpty();
  }

  @Test
  void anAnswerAlteredAfterSigningOrNotSignedIsRefused() {
    String altered =
        new String(signed(MAPPER.createObjectNode().put("a", 1), agent), StandardCharsets.UTF_8)
            .replace("\"a\":1", "\"a\":2");
    for (byte[] body : new byte[][] {altered.getBytes(StandardCharsets.UTF_8), "{}".getBytes()}) {
      answer.set(body);
      SignedFetch.Failure refused =
          catchThrowableOfType(SignedFetch.Failure.class, () -> fetch.fetch(get()));
      assertThat(refused)
          .hasMessage("the agent's answer (HTTP 200) carries no valid agent signature");
    }
  }

  @Test
  void anAnswerLargerThanOneMebibyteIsRefusedWithoutReadingItWhole() {
    byte[] large = new byte[4 * SignedFetch.MAX_BODY_BYTES];
    Arrays.fill(large, (byte) ' ');
    answer.set(large);

    SignedFetch.Failure refused =
        catchThrowableOfType(SignedFetch.Failure.class, () -> fetch.fetch(get()));

    assertThat(refused).hasMessage("the agent's answer is larger than 1 MiB");
  }

  @Test
  void aClosedPortIsASentenceNotAnException() throws IOException {
    int port;
    try (var closed = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    SignedFetch.Failure refused =
        catchThrowableOfType(
            SignedFetch.Failure.class,
            () ->
                fetch.fetch(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).build()));
    assertThat(refused)
        .hasMessage("nothing answers at 127.0.0.1:" + port + " — is the agent running?");
  }
}
