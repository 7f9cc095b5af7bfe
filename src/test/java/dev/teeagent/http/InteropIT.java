package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.testing.NodeScript;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signatures count as correct only when ethers + canonicalize (code we did not write) agree. */
class InteropIT {
  @Test
  void ethersAndCanonicalizeVerifyRealAnswersIncludingTrickyBodies() throws Exception {
    SigningKey key = TestRoutes.freshKey();
    HttpClient client = HttpClient.newHttpClient();
    List<String> bodies = new ArrayList<>();
    try (AgentHttpServer server = TestRoutes.server(key)) {
      String base = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/api/v1";
      List<HttpRequest> requests =
          List.of(
              HttpRequest.newBuilder(URI.create(base + "/tricky")).GET().build(),
              HttpRequest.newBuilder(URI.create(base + "/tricky?q=%C3%A9&x"))
                  .header("X-Client-Nonce", "with \"quotes\" and \\ backslash")
                  .GET()
                  .build(),
              HttpRequest.newBuilder(URI.create(base + "/echo"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"text\":\"\\u2028 line sep, emoji \uD83D\uDE80, \\\"q\\\"\",\"numbers\":[9007199254740991,-1,0]}"))
                  .build(),
              HttpRequest.newBuilder(URI.create(base + "/echo"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"text\":1}"))
                  .build(),
              HttpRequest.newBuilder(URI.create(base + "/missing/é")).GET().build(),
              HttpRequest.newBuilder(URI.create(base + "/boom")).GET().build());
      for (HttpRequest request : requests) {
        bodies.add(
            new String(
                client.send(request, HttpResponse.BodyHandlers.ofByteArray()).body(),
                StandardCharsets.UTF_8));
      }
    }
    ArrayNode input = TestRoutes.MAPPER.createArrayNode();
    bodies.forEach(input::add);
    JsonNode results =
        TestRoutes.MAPPER.readTree(
            NodeScript.run("verify-signed.mjs", TestRoutes.MAPPER.writeValueAsString(input)));
    assertThat(results).hasSize(bodies.size());
    for (JsonNode result : results) {
      assertThat(result.get("recovered").asText()).isEqualTo(key.address().checksummed());
      assertThat(result.get("signer").asText()).isEqualTo(key.address().checksummed());
    }
  }

  @Test
  void ethersRejectsATamperedAnswer() throws Exception {
    SigningKey key = TestRoutes.freshKey();
    String body;
    try (AgentHttpServer server = TestRoutes.server(key)) {
      String base = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/api/v1";
      body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/tricky")).GET().build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
    }
    String tampered = body.replace("\"yes\":true", "\"yes\":false");
    assertThat(tampered).isNotEqualTo(body);
    ArrayNode input = TestRoutes.MAPPER.createArrayNode().add(tampered);
    JsonNode results =
        TestRoutes.MAPPER.readTree(
            NodeScript.run("verify-signed.mjs", TestRoutes.MAPPER.writeValueAsString(input)));
    assertThat(results.get(0).get("recovered").asText()).isNotEqualTo(key.address().checksummed());
  }
}
