package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.testing.NodeScript;
import dev.teeagent.testing.TestAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check {@code make test} runs after the suite (src/test/js/validate-answers.mjs: every
 * recorded answer against openapi.json, with ajv) is not a check that cannot fail: it passes the
 * agent's genuine answers and the marked requests of docs/api.md, and names an answer missing a
 * required member, one on a path the document does not list, one with a status its operation does
 * not list, an error code under another status, an accepted request the request schema refuses, an
 * unknown field it accepts, a marked documentation request it refuses, and an empty record.
 */
class OpenApiAnswersCheckIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;
  private String config;

  @BeforeEach
  void recordGenuineAnswers() throws Exception {
    try (TestAgent agent = TestAgent.start()) {
      config = agent.get("/api/v1/config").text();
      write("1-config", config, 200);
      write("2-not-found", agent.get("/api/v1/nowhere").text(), 404);
      write("3-variables", agent.get("/api/v1//variables/").text(), 200);
      write("4-bad-query", agent.get("/api/v1/attestation?nonce=zz").text(), 400);
      write("5-wrong-method", agent.post("/api/v1/config", "{}").text(), 405);
    }
  }

  @Test
  void passesTheAgentsOwnAnswersAndTheRequestsOfTheApiReference() throws Exception {
    NodeScript.Outcome pass = check(dir, "docs/api.md");
    assertThat(pass.exit()).as(pass.output()).isZero();
    assertThat(pass.output())
        .contains("all 5 signed answers conform")
        .contains("3 marked requests in 1 documents conform");
  }

  @Test
  void failsOnAMarkedDocumentationRequestTheSchemaRefusesAndOnADocumentWithoutAny()
      throws Exception {
    Path guide = dir.resolve("guide.md");
    Files.writeString(
        guide,
        "Ask:\n\n<!-- openapi-request: POST /prompt -->\n```json\n{\"messages\": []}\n```\n");
    NodeScript.Outcome fail = check(dir, guide.toString());
    assertThat(fail.exit()).isEqualTo(1);
    assertThat(fail.output()).contains("guide.md: the POST /prompt example").contains("messages");

    Files.writeString(guide, "No marked request here.\n");
    NodeScript.Outcome none = check(dir, guide.toString());
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.output()).contains("no request marked");
  }

  @Test
  void failsOnAnAnswerMissingARequiredMemberNamingIt() throws Exception {
    ObjectNode body = genuineConfig();
    body.remove("state_hash");
    NodeScript.Outcome fail = checkWith("6-no-state-hash", body, 200);
    assertThat(fail.exit()).isEqualTo(1);
    assertThat(fail.output())
        .contains("1 answers or requests")
        .contains("6-no-state-hash")
        .contains("state_hash");
  }

  @Test
  void failsOnAnAnswerOfAPathTheDocumentDoesNotList() throws Exception {
    ObjectNode body = genuineConfig();
    ((ObjectNode) body.get("request")).put("path", "/api/v1/undocumented");
    NodeScript.Outcome fail = checkWith("6-new-endpoint", body, 200);
    assertThat(fail.exit()).isEqualTo(1);
    assertThat(fail.output()).contains("6-new-endpoint").contains("path not in");
  }

  @Test
  void failsOnAStatusTheOperationDoesNotListAndOnACodeUnderAnotherStatus() throws Exception {
    ObjectNode misfiled =
        (ObjectNode) MAPPER.readTree(Files.readString(dir.resolve("4-bad-query.json")));
    ((ObjectNode) misfiled.get("error")).put("code", "variable_not_found");
    write("7-misfiled-code", misfiled.toString(), 400);
    NodeScript.Outcome fail = checkWith("6-teapot", genuineConfig().put("status", 418), 418);
    assertThat(fail.exit()).isEqualTo(1);
    assertThat(fail.output())
        .contains("2 answers or requests")
        .contains("6-teapot")
        .contains("status 418 is not documented for GET /config")
        .contains("7-misfiled-code");
  }

  @Test
  void failsOnAnAcceptedRequestTheSchemaRefusesAndOnAnUnknownFieldTheSchemaAccepts()
      throws Exception {
    Files.createDirectories(dir.resolve("requests"));
    ObjectNode accepted = MAPPER.createObjectNode().put("method", "POST");
    accepted.put("path", "/api/v1/prompt").put("status", 200).putNull("error_code");
    accepted.put(
        "body", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":7}");
    Files.writeString(dir.resolve("requests/1.json"), accepted.toString());
    ObjectNode refused = accepted.deepCopy().put("status", 400).put("error_code", "unknown_field");
    refused.put("body", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    Files.writeString(dir.resolve("requests/2.json"), refused.toString());
    NodeScript.Outcome fail = check(dir);
    assertThat(fail.exit()).isEqualTo(1);
    assertThat(fail.output())
        .contains("2 answers or requests")
        .contains("requests/1.json")
        .contains("temperature")
        .contains("requests/2.json (POST /api/v1/prompt 400): refused as unknown_field");
  }

  @Test
  void failsWhenNothingWasRecorded(@TempDir Path empty) throws Exception {
    NodeScript.Outcome fail = check(empty);
    assertThat(fail.exit()).isEqualTo(1);
    assertThat(fail.output()).contains("no signed answers recorded");
  }

  private void write(String name, String body, int httpStatus) throws Exception {
    Files.writeString(dir.resolve(name + ".json"), body);
    Files.writeString(
        dir.resolve(name + ".meta"),
        "{\"http_status\":%d,\"content_type\":\"application/json\",\"transport\":\"json\"}"
            .formatted(httpStatus));
  }

  private ObjectNode genuineConfig() throws Exception {
    return (ObjectNode) MAPPER.readTree(config);
  }

  /** Records {@code body} beside the genuine answers and runs the check over all of them. */
  private NodeScript.Outcome checkWith(String name, ObjectNode body, int httpStatus)
      throws Exception {
    write(name, body.toString(), httpStatus);
    return check(dir);
  }

  private static NodeScript.Outcome check(Path records, String... documents) {
    List<String> args =
        new ArrayList<>(List.of("src/main/resources/openapi.json", records.toString()));
    args.addAll(List.of(documents));
    return NodeScript.outcome("src/test/js/validate-answers.mjs", args.toArray(String[]::new));
  }
}
