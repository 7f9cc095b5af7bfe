package dev.teeagent.hoststore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.custody.CustodyException;
import dev.teeagent.identity.HostSnapshotFolder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's state store on a loopback port, driven by the agent's own client and by a plain HTTP
 * client: blobs round-trip byte for byte, a write is acknowledged only once stored, and nothing
 * outside its folder can be named.
 */
class StateStoreServerIT {
  @TempDir Path dir;
  private StateStoreServer server;
  private HostSnapshotFolder folder;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    server = StateStoreServer.start("127.0.0.1", 0, dir);
    folder = new HostSnapshotFolder(server.endpoint(), Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void storesBlobsByteForByteAndAnswersNoneForAnAbsentOne() throws Exception {
    assertThat(folder.read("identity.sealed")).isEmpty();
    byte[] blob = new byte[300_000];
    new java.util.Random(7).nextBytes(blob);

    folder.write("identity.sealed", blob);

    assertThat(Files.readAllBytes(dir.resolve("identity.sealed"))).isEqualTo(blob);
    assertThat(folder.read("identity.sealed")).hasValue(blob);
    folder.write("identity.sealed", new byte[] {1});
    assertThat(folder.read("identity.sealed")).hasValue(new byte[] {1});
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("identity.sealed");
    }
  }

  @Test
  void aWriteItCannotStoreIsNotAcknowledged() throws Exception {
    // A non-empty folder where the blob should go: the rename cannot replace it (even as root).
    Files.createDirectories(dir.resolve("identity.sealed/in-the-way"));
    assertThatThrownBy(() -> folder.write("identity.sealed", new byte[] {1}))
        .isInstanceOf(CustodyException.class)
        .hasMessage(
            "the state store at "
                + server.endpoint()
                + " did not acknowledge identity.sealed (HTTP 507)");
    assertThat(dir.resolve("identity.sealed/in-the-way")).isDirectory();
  }

  @Test
  void namesOutsideItsFolderAndOtherMethodsAreRefused() throws Exception {
    Files.writeString(dir.getParent().resolve("outside"), "x");
    for (String path :
        new String[] {"/v1/blobs/..%2Foutside", "/v1/blobs/../outside", "/v1/blobs/", "/other"}) {
      HttpResponse<String> response = send(HttpRequest.newBuilder(url(path)).GET());
      assertThat(response.statusCode()).as(path).isEqualTo(404);
    }
    HttpResponse<String> post =
        send(
            HttpRequest.newBuilder(url("/v1/blobs/identity.sealed"))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, PUT");
    assertThat(dir.resolve("identity.sealed")).doesNotExist();
  }

  @Test
  void aStoreThatIsNotRunningIsNamedInTheRefusal() throws Exception {
    server.close();
    assertThatThrownBy(() -> folder.read("identity.sealed"))
        .isInstanceOf(CustodyException.class)
        .hasMessage(
            "the state store at "
                + server.endpoint()
                + " cannot be reached to read identity.sealed");
  }

  private URI url(String path) {
    return URI.create(server.endpoint() + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
