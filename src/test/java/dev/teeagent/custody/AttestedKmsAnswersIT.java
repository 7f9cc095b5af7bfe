package dev.teeagent.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The KMS client against a lying, failing or silent endpoint: refusals in our own words. */
class AttestedKmsAnswersIT {
  private final AtomicReference<String> body = new AtomicReference<>("{}");
  private final AtomicReference<Integer> status = new AtomicReference<>(200);
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean hang;
  private HttpServer server;
  private AttestedKms kms;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (hang) {
              release.await();
            }
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status.get(), bytes.length);
            exchange.getResponseBody().write(bytes);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
    kms = client(Duration.ofSeconds(30));
  }

  private AttestedKms client(Duration timeout) {
    return AttestedKms.connect(
        new KmsSettings(
            "us-east-1",
            Optional.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort())),
            "AKID",
            "secret",
            Optional.empty(),
            timeout));
  }

  @AfterEach
  void stop() {
    release.countDown();
    kms.close();
    server.stop(0);
  }

  @Test
  void aKmsThatAnswersWithPlaintextDespiteTheRecipientIsRefused() {
    body.set("{\"KeyId\":\"k\",\"CiphertextBlob\":\"AAAA\",\"Plaintext\":\"AAAA\"}");

    assertThatThrownBy(() -> kms.generateDataKey("k", Map.of(), new byte[] {1}))
        .isInstanceOf(CustodyException.class)
        .hasMessageEndingWith(
            " answered GenerateDataKey with plaintext although a Recipient was given");
    assertThatThrownBy(() -> kms.decrypt("k", new byte[] {1}, Map.of(), new byte[] {1}))
        .hasMessageEndingWith(" answered Decrypt with plaintext although a Recipient was given");
  }

  @Test
  void anAnswerWithoutTheEnvelopeIsRefused() {
    body.set("{\"KeyId\":\"k\",\"CiphertextBlob\":\"AAAA\"}");

    assertThatThrownBy(() -> kms.generateDataKey("k", Map.of(), new byte[] {1}))
        .hasMessageEndingWith(" answered GenerateDataKey without the data key");
  }

  @Test
  void theServicesOwnErrorTextIsNeverPassedOn() {
    status.set(400);
    body.set("{\"__type\":\"Weird.Thing$Exception\",\"message\":\"internal secret detail\"}");

    assertThatThrownBy(() -> kms.describeKey("k"))
        .hasMessageEndingWith(" refused the request (WeirdThingException) (DescribeKey, HTTP 400)")
        .hasMessageNotContaining("secret detail");
  }

  @Test
  void aSilentKmsTimesOut() {
    hang = true;

    try (AttestedKms impatient = client(Duration.ofSeconds(2))) {
      assertThatThrownBy(() -> impatient.keyPolicy("k"))
          .hasMessageEndingWith(" did not answer GetKeyPolicy in time");
    }
    assertThat(release.getCount()).isOne();
  }
}
