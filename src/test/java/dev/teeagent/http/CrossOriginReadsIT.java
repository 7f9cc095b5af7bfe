package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.crypto.SigningKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A page from another origin may read GET answers (and send X-Client-Nonce), nothing more. */
class CrossOriginReadsIT {
  private static final String ORIGIN = "https://verifier.example";
  private static AgentHttpServer server;
  private static String base;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    SigningKey key = TestRoutes.freshKey();
    server = TestRoutes.server(key);
    base = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + AgentHttpServer.API_PREFIX;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void getAnswersAndGetErrorsMayBeReadFromAnyOrigin() throws Exception {
    for (String path : new String[] {"/tricky", "/health", "/missing", "/boom"}) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(base + path)).header("Origin", ORIGIN).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(allowOrigin(response)).as(path).contains("*");
      assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }
  }

  @Test
  void aPreflightForGetWithTheClientNonceHeaderIsAllowed() throws Exception {
    HttpResponse<String> response = preflight("GET", Optional.of("x-client-nonce"));
    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(allowOrigin(response)).contains("*");
    assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).contains("GET, HEAD");
    assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
        .contains("X-Client-Nonce");
    assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    assertThat(response.body()).isEmpty();
  }

  @Test
  void postAndOtherHeadersAreNotAllowedAcrossOrigins() throws Exception {
    assertThat(allowOrigin(preflight("POST", Optional.of("content-type")))).isEmpty();
    assertThat(allowOrigin(preflight("DELETE", Optional.empty()))).isEmpty();
    assertThat(allowOrigin(preflight("GET", Optional.of("x-client-nonce, authorization"))))
        .isEmpty();
    HttpResponse<String> post =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/echo"))
                .header("Origin", ORIGIN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(allowOrigin(post)).isEmpty();
  }

  @Test
  void anOptionsRequestThatIsNotAPreflightIsAnsweredAsBefore() throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/tricky"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.body()).contains("\"signature\"");
  }

  private HttpResponse<String> preflight(String method, Optional<String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/tricky"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", ORIGIN)
            .header("Access-Control-Request-Method", method);
    headers.ifPresent(value -> request.header("Access-Control-Request-Headers", value));
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Optional<String> allowOrigin(HttpResponse<?> response) {
    return response.headers().firstValue("Access-Control-Allow-Origin");
  }
}
