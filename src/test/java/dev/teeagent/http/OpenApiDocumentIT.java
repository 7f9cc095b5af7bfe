package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.TestAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The agent serves its OpenAPI document at {@code /api/v1/openapi.json}: the committed bytes, as
 * JSON, unsigned (DESIGN §9), readable from any origin like every GET.
 */
class OpenApiDocumentIT {
  @Test
  void servesTheCommittedDocumentAsJsonWithoutAnEnvelope() throws Exception {
    try (TestAgent agent = TestAgent.start()) {
      TestAgent.Reply reply = agent.get("/api/v1/openapi.json", java.util.Map.of("Origin", "null"));
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("Content-Type")).startsWith("application/json");
      assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo("*");
      assertThat(reply.body())
          .isEqualTo(Files.readAllBytes(Path.of("src/main/resources/openapi.json")));
      assertThat(reply.json().get("openapi").asText()).isEqualTo("3.1.0");
      assertThat(reply.json().has("signature")).isFalse();
      assertThat(agent.post("/api/v1/openapi.json", "{}").errorCode())
          .isEqualTo("method_not_allowed");
    }
  }
}
