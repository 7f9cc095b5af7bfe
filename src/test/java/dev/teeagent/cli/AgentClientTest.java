package dev.teeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.teeagent.json.JsonMappers;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLIs talk to an agent through an untrusted host, which may answer anything. */
class AgentClientTest {
  private HttpServer host;

  @BeforeEach
  void start() throws Exception {
    host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    host.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked, no declared length
          byte[] chunk = new byte[64 * 1024];
          java.util.Arrays.fill(chunk, (byte) ' ');
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 64; i++) { // 4 MiB of whitespace
              out.write(chunk);
            }
          } catch (java.io.IOException clientStoppedReading) {
            // expected once the client has read its fill
          }
        });
    host.start();
  }

  @AfterEach
  void stop() {
    host.stop(0);
  }

  @Test
  void anAnswerLargerThanOneMebibyteIsRefusedWithoutReadingItWhole() throws Exception {
    AgentClient client =
        new AgentClient("http://127.0.0.1:" + host.getAddress().getPort(), JsonMappers.strict());

    CliFailure refused = catchThrowableOfType(CliFailure.class, () -> client.get("/config"));

    assertThat(refused).isNotNull();
    assertThat(refused.getMessage()).contains("larger than 1 MiB");
  }
}
