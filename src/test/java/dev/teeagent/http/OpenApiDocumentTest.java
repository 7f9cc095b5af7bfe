package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.error.ErrorCode;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document (src/main/resources/openapi.json) cannot drift from the code: it lists
 * exactly the routes the agent registers, and exactly the codes of {@link ErrorCode}, each under
 * its own HTTP status. (That each recorded answer conforms is checked after the suite by
 * src/test/js/validate-answers.mjs; see OpenApiAnswersCheckIT.)
 */
class OpenApiDocumentTest {
  private static final JsonNode SPEC = read();

  @Test
  void listsEveryRouteTheAgentRegistersAndNoOther() throws Exception {
    Set<String> routed = new TreeSet<>();
    for (ApiRoute route : everyApiRoute()) {
      routed.add(route.method().name() + " " + route.path());
    }
    // The two unsigned routes AgentHttpServer registers itself.
    routed.add("GET /health");
    routed.add("GET " + OpenApiDocument.PATH);

    Set<String> documented = operations(SPEC).keySet();
    assertThat(documented).isEqualTo(routed);
    assertThat(SPEC.at("/servers/0/url").asText()).isEqualTo(AgentHttpServer.API_PREFIX);
  }

  @Test
  void listsEveryErrorCodeUnderItsOwnStatusAndNoOther() {
    Map<String, Set<String>> byStatus = new TreeMap<>();
    for (ErrorCode code : ErrorCode.values()) {
      byStatus
          .computeIfAbsent("ErrorCodes" + code.status(), key -> new TreeSet<>())
          .add(code.code());
    }
    Map<String, Set<String>> documented = new TreeMap<>();
    SPEC.at("/components/schemas")
        .properties()
        .forEach(
            schema -> {
              if (schema.getKey().matches("ErrorCodes[0-9]{3}")) {
                Set<String> codes = new TreeSet<>();
                schema.getValue().get("enum").forEach(code -> codes.add(code.asText()));
                documented.put(schema.getKey(), codes);
              }
            });
    assertThat(documented).isEqualTo(byStatus);
  }

  @Test
  void everyErrorStatusHasItsResponseAndEverySignedOperationDocumentsTheHttpLayersRefusals() {
    Set<Integer> statuses =
        Arrays.stream(ErrorCode.values()).map(ErrorCode::status).collect(Collectors.toSet());
    for (int status : statuses) {
      assertThat(SPEC.at("/components/responses/Error" + status + "/content").isObject())
          .as("response Error%d", status)
          .isTrue();
    }
    JsonNode anyRequest = SPEC.get("x-unmatched-request-responses");
    assertThat(anyRequest.has("404")).isTrue();
    assertThat(anyRequest.has("405")).isTrue();
    operations(SPEC)
        .forEach(
            (operation, description) -> {
              if (description.path("x-unsigned").asBoolean()) {
                return;
              }
              for (String status : List.of("400", "413", "414", "431", "500", "503")) {
                assertThat(description.at("/responses/" + status).isObject())
                    .as("%s answers %s", operation, status)
                    .isTrue();
              }
            });
  }

  @Test
  void describesEveryMemberOfTheSignedEnvelopeAndRequiresNoOther() {
    JsonNode envelope = SPEC.at("/components/schemas/Envelope");
    Set<String> described = new TreeSet<>();
    envelope.get("properties").fieldNames().forEachRemaining(described::add);
    Set<String> required = new TreeSet<>();
    envelope.get("required").forEach(member -> required.add(member.asText()));
    assertThat(described)
        .as("a member ResponseSigner adds must be described in openapi.json's Envelope")
        .containsAll(ResponseSigner.ENVELOPE_MEMBERS);
    assertThat(ResponseSigner.ENVELOPE_MEMBERS).containsAll(required);
    // Answers may gain members (DESIGN §9): the envelope must not refuse what it does not list.
    assertThat(envelope.path("additionalProperties").asBoolean(true)).isTrue();
  }

  @Test
  void isTheDocumentTheAgentServes() throws Exception {
    assertThat(OpenApiDocument.bytes())
        .isEqualTo(Files.readAllBytes(Path.of("src/main/resources/openapi.json")));
    assertThat(SPEC.get("openapi").asText()).isEqualTo("3.1.0");
  }

  /** The document's operations by "METHOD /path". */
  static Map<String, JsonNode> operations(JsonNode spec) {
    Map<String, JsonNode> operations = new TreeMap<>();
    for (var path : spec.get("paths").properties()) {
      for (var operation : path.getValue().properties()) {
        operations.put(
            operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
            operation.getValue());
      }
    }
    return operations;
  }

  /** Every route class of this package, built with null collaborators (only method and path). */
  private static List<ApiRoute> everyApiRoute() throws Exception {
    Path classes =
        Path.of(ApiRoute.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve(ApiRoute.class.getPackageName().replace('.', '/'));
    List<ApiRoute> routes = new ArrayList<>();
    try (Stream<Path> files = Files.list(classes)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".class") || name.contains("$")) {
          continue;
        }
        Class<?> type =
            Class.forName(
                ApiRoute.class.getPackageName() + "." + name.substring(0, name.length() - 6));
        // GuardedRoute wraps the others; it adds no endpoint of its own.
        if (!ApiRoute.class.isAssignableFrom(type)
            || type.isInterface()
            || Modifier.isAbstract(type.getModifiers())
            || type == GuardedRoute.class) {
          continue;
        }
        Constructor<?> constructor = type.getConstructors()[0];
        routes.add((ApiRoute) constructor.newInstance(new Object[constructor.getParameterCount()]));
      }
    }
    assertThat(routes).hasSizeGreaterThanOrEqualTo(8);
    return routes;
  }

  private static JsonNode read() {
    try {
      return new ObjectMapper().readTree(OpenApiDocument.bytes());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
