package dev.teeagent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every class under src/test/java that declares a test runs in {@code make test}: its name ends in
 * {@code Test} (Surefire, unit) or {@code IT} (Failsafe, integration). A class named otherwise
 * would compile and never run, silently — this test fails the build instead.
 */
class TestClassNamesTest {
  private static final Path TEST_SOURCES = Path.of("src", "test", "java");
  private static final Pattern DECLARES_A_TEST =
      Pattern.compile(
          "^\\s*@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|Property|Example)\\b",
          Pattern.MULTILINE);

  /**
   * Surefire's default includes hold {@code **}{@code /*Test.java}, Failsafe's {@code *IT.java}.
   */
  static boolean runsInMakeTest(String className) {
    return className.endsWith("Test") || className.endsWith("IT");
  }

  @Test
  void everyClassThatDeclaresATestIsNamedForSurefireOrFailsafe() throws IOException {
    List<Path> testClasses = testClasses();
    assertThat(testClasses).hasSizeGreaterThan(50);
    assertThat(testClasses)
        .filteredOn(path -> !runsInMakeTest(className(path)))
        .as("test classes that neither Surefire (*Test) nor Failsafe (*IT) would run")
        .isEmpty();
  }

  @Test
  void theRuleRefusesNamesNeitherPluginPicksUp() {
    assertThat(runsInMakeTest("VariableRulesPropertiesTest")).isTrue();
    assertThat(runsInMakeTest("AgentHttpServerIT")).isTrue();
    assertThat(runsInMakeTest("VariableRulesProperties")).isFalse();
    assertThat(runsInMakeTest("PromptCpuCost")).isFalse();
  }

  private static List<Path> testClasses() throws IOException {
    try (Stream<Path> files = Files.walk(TEST_SOURCES)) {
      return files
          .filter(path -> path.toString().endsWith(".java"))
          .filter(TestClassNamesTest::declaresATest)
          .toList();
    }
  }

  private static boolean declaresATest(Path source) {
    try {
      return DECLARES_A_TEST.matcher(Files.readString(source)).find();
    } catch (IOException e) {
      throw new AssertionError("cannot read " + source, e);
    }
  }

  private static String className(Path source) {
    String file = source.getFileName().toString();
    return file.substring(0, file.length() - ".java".length());
  }
}
