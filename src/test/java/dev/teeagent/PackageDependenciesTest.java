package dev.teeagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout's rules, read from the sources: capability packages form no cycle, only {@code http}
 * imports the web framework, and the verifier library (what third parties and the CLI use) reaches
 * nothing of the agent's server side.
 */
class PackageDependenciesTest {
  private static final Path MAIN = Path.of("src", "main", "java", "dev", "teeagent");
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);

  /**
   * The verifier library's closure: its own package, the primitives it checks with, and the error
   * vocabulary the strict JSON reader reports in (an enum, no server code).
   */
  private static final Set<String> VERIFIER_LIBRARY =
      Set.of("verifier", "crypto", "tls", "json", "error");

  /**
   * Capability → the capabilities it imports (the root package, where {@code App} wires, is ".").
   */
  private static final Map<String, Set<String>> USES = new TreeMap<>();

  private static final Map<String, Set<String>> EXTERNAL = new TreeMap<>();

  @BeforeAll
  static void readImports() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String capability =
            MAIN.relativize(file).getNameCount() == 1
                ? "."
                : MAIN.relativize(file).getName(0).toString();
        Matcher imports = IMPORT.matcher(Files.readString(file));
        while (imports.find()) {
          String imported = imports.group(1);
          if (imported.startsWith("dev.teeagent.")) {
            String[] parts = imported.substring("dev.teeagent.".length()).split("\\.");
            String target = Character.isUpperCase(parts[0].charAt(0)) ? "." : parts[0];
            if (!target.equals(capability)) {
              USES.computeIfAbsent(capability, c -> new TreeSet<>()).add(target);
            }
          } else {
            EXTERNAL.computeIfAbsent(capability, c -> new TreeSet<>()).add(imported);
          }
        }
        USES.computeIfAbsent(capability, c -> new TreeSet<>());
      }
    }
  }

  @Test
  void capabilityPackagesImportEachOtherWithoutCycles() {
    List<String> cycles = new ArrayList<>();
    for (String start : USES.keySet()) {
      Deque<List<String>> paths = new ArrayDeque<>();
      paths.add(List.of(start));
      Set<String> seen = new TreeSet<>();
      while (!paths.isEmpty()) {
        List<String> path = paths.poll();
        for (String next : USES.getOrDefault(path.getLast(), Set.of())) {
          if (next.equals(start)) {
            cycles.add(String.join(" → ", path) + " → " + start);
          } else if (seen.add(next)) {
            List<String> longer = new ArrayList<>(path);
            longer.add(next);
            paths.add(longer);
          }
        }
      }
    }
    assertThat(USES).hasSizeGreaterThan(10);
    assertThat(cycles).as("import cycles between capability packages").isEmpty();
  }

  @Test
  void onlyTheHttpPackageImportsTheWebFramework() {
    assertThat(EXTERNAL.get("http")).anyMatch(name -> name.startsWith("io.javalin."));
    EXTERNAL.forEach(
        (capability, imports) -> {
          if (!capability.equals("http")) {
            assertThat(imports)
                .as(capability + " imports Javalin")
                .noneMatch(name -> name.startsWith("io.javalin."));
          }
        });
  }

  @Test
  void theVerifierLibraryReachesNothingOfTheServerSide() {
    Set<String> reached = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of("verifier"));
    while (!todo.isEmpty()) {
      for (String next : USES.getOrDefault(todo.poll(), Set.of())) {
        if (reached.add(next)) {
          todo.add(next);
        }
      }
    }
    assertThat(USES.get("verifier")).isNotEmpty();
    assertThat(reached)
        .as("what the verifier library imports, directly or not")
        .isSubsetOf(VERIFIER_LIBRARY);
  }
}
