package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md, the HTTP API reference for people, says what the code does: its error table has one
 * row per {@link ErrorCode} with its status (and something to do), and its endpoint table the
 * operations of the OpenAPI document, signed or not as the document says.
 */
class ApiReferenceDocTest {
  private static final Pattern ERROR_ROW =
      Pattern.compile("^\\| `([a-z_]+)` \\| ([0-9]{3}) \\| ([^|]+) \\| ([^|]+) \\|$");
  private static final Pattern ENDPOINT_ROW =
      Pattern.compile("^\\| (GET|POST|PUT|DELETE|PATCH) \\| `(/[^`]*)` \\| (yes|no) \\|.*$");

  @Test
  void errorTableHasEveryErrorCodeOnceWithItsStatusAndWhatToDo() throws Exception {
    Map<String, Integer> documented = new TreeMap<>();
    for (String line : lines()) {
      Matcher row = ERROR_ROW.matcher(line);
      if (row.matches()) {
        assertThat(documented.put(row.group(1), Integer.parseInt(row.group(2))))
            .as("row %s appears once", row.group(1))
            .isNull();
        assertThat(row.group(3).strip()).as("meaning of %s", row.group(1)).isNotBlank();
        assertThat(row.group(4).strip()).as("what to do on %s", row.group(1)).isNotBlank();
      }
    }
    Map<String, Integer> actual = new TreeMap<>();
    for (ErrorCode code : ErrorCode.values()) {
      actual.put(code.code(), code.status());
    }
    assertThat(documented).isEqualTo(actual);
  }

  @Test
  void endpointTableIsTheOpenApiDocumentsOperations() throws Exception {
    JsonNode spec = new ObjectMapper().readTree(OpenApiDocument.bytes());
    TreeSet<String> documented = new TreeSet<>();
    for (String line : lines()) {
      Matcher row = ENDPOINT_ROW.matcher(line);
      if (row.matches()) {
        documented.add(row.group(1) + " " + row.group(2) + " signed=" + row.group(3));
      }
    }
    TreeSet<String> operations = new TreeSet<>();
    OpenApiDocumentTest.operations(spec)
        .forEach(
            (operation, description) ->
                operations.add(
                    operation
                        + " signed="
                        + (description.path("x-unsigned").asBoolean() ? "no" : "yes")));
    assertThat(documented).isEqualTo(operations);
  }

  private static List<String> lines() throws Exception {
    return Files.readAllLines(Path.of("docs/api.md"));
  }
}
