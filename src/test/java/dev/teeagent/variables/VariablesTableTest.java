package dev.teeagent.variables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.NodeScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs' table of well-known variables is the registry's: wherever a document holds the marker
 * {@value #MARKER} (the README, the operators' guide, DESIGN §5), the table after it lists exactly
 * {@link WellKnownVariables#ALL}, with their rules, defaults and visibility. On a difference the
 * failure shows the table to paste.
 */
class VariablesTableTest {
  static final String MARKER = "<!-- variables-table -->";

  /** The table as the registry says it, one line a row. */
  static List<String> expected() {
    List<String> rows = new ArrayList<>();
    rows.add("| variable | value | unset | hidden |");
    rows.add("|---|---|---|---|");
    for (WellKnownVariable<?> variable : WellKnownVariables.ALL) {
      rows.add(
          "| `"
              + variable.name()
              + "` | "
              + variable.rule()
              + " | "
              + variable.defaultText().map(text -> "`" + text + "`").orElse("—")
              + " | "
              + switch (variable.visibility()) {
                case PUBLISHED -> "never: the agent publishes it";
                case HIDEABLE -> "as the operator chooses";
                case SECRET -> "always: it is a credential";
              }
              + " |");
    }
    return rows;
  }

  /** README.md and every Markdown file under docs/. */
  private static List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(NodeScript.projectDir().resolve("README.md")));
    try (Stream<Path> docs = Files.walk(NodeScript.projectDir().resolve("docs"))) {
      docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    return documents;
  }

  /** The table rows after each marker of {@code lines} (blank lines before the table skipped). */
  static List<List<String>> tablesAfterMarkers(List<String> lines) {
    List<List<String>> tables = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals(MARKER)) {
        continue;
      }
      int row = i + 1;
      while (row < lines.size() && lines.get(row).isBlank()) {
        row++;
      }
      List<String> table = new ArrayList<>();
      while (row < lines.size() && lines.get(row).startsWith("|")) {
        table.add(lines.get(row++));
      }
      tables.add(table);
    }
    return tables;
  }

  @Test
  void everyMarkedTableListsTheRegistryExactly() throws IOException {
    int tables = 0;
    for (Path document : documents()) {
      for (List<String> table : tablesAfterMarkers(Files.readAllLines(document))) {
        tables++;
        assertThat(String.join("\n", table))
            .as(
                "the table after %s in %s; it should read:%n%s",
                MARKER, document, table(expected()))
            .isEqualTo(table(expected()));
      }
    }
    assertThat(tables).as("documents holding %s", MARKER).isPositive();
  }

  /** The browser verifier's list of variables it shows, even unset, names only registry ones. */
  @Test
  void theVerifierPageShowsOnlyWellKnownVariables() throws IOException {
    String page = Files.readString(NodeScript.projectDir().resolve("verifier-js/page/page.js"));
    Matcher list = Pattern.compile("const POLICY_VARIABLES = \\[([^\\]]*)\\]").matcher(page);
    assertThat(list.find()).as("POLICY_VARIABLES in page.js").isTrue();
    List<String> shown = new ArrayList<>();
    Matcher name = Pattern.compile("\"([a-z0-9_]+)\"").matcher(list.group(1));
    while (name.find()) {
      shown.add(name.group(1));
    }
    assertThat(shown).isNotEmpty();
    for (String variable : shown) {
      assertThat(WellKnownVariables.find(variable)).as(variable).isPresent();
    }
  }

  @Test
  void aTableThatDiffersFromTheRegistryIsFound() {
    List<String> lines = new ArrayList<>(List.of("text", MARKER, ""));
    lines.addAll(expected());
    lines.add("");
    assertThat(tablesAfterMarkers(lines)).containsExactly(expected());
    lines.remove(lines.size() - 2);
    assertThat(tablesAfterMarkers(lines).getFirst()).isNotEqualTo(expected());
  }

  private static String table(List<String> rows) {
    return String.join("\n", rows);
  }
}
