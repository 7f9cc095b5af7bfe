package dev.teeagent.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.ExternalCommand;
import dev.teeagent.testing.NodeScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the JS verifier's own Node tests (verifier-js/test/*.test.mjs: the AWS fixtures, tampering
 * of each field, wrong root, expired chain, missing PCRs, signed answers) so that {@code make test}
 * fails when they do. Their TAP output is printed.
 */
class JsVerifierModuleIT {
  private static final Pattern PASSED = Pattern.compile("(?m)^# pass (\\d+)$");
  private static final Pattern FAILED = Pattern.compile("(?m)^# fail (\\d+)$");

  @Test
  void theNodeTestsOfTheJsVerifierAllPass() throws IOException {
    Path dir = NodeScript.projectDir();
    assertThat(dir.resolve("node_modules/cborg")).as("node_modules: run npm ci").isDirectory();
    List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=tap"));
    try (Stream<Path> files = Files.list(dir.resolve("verifier-js/test"))) {
      files
          .map(file -> dir.relativize(file).toString())
          .filter(name -> name.endsWith(".test.mjs"))
          .sorted()
          .forEach(command::add);
    }
    assertThat(command).hasSizeGreaterThan(3);
    ExternalCommand.Result result =
        ExternalCommand.of(command).timeout(Duration.ofMinutes(3)).run();
    System.out.println(result.output());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(count(FAILED, result.stdout())).isZero();
    assertThat(count(PASSED, result.stdout())).isGreaterThanOrEqualTo(30);
  }

  @Test
  void theBenchmarkCommandOfTheDocsRunsAndReportsRatios() {
    ExternalCommand.Result result =
        ExternalCommand.of("node", "verifier-js/bench.mjs", "2")
            .timeout(Duration.ofMinutes(2))
            .run();
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.stdout())
        .contains("baseline: ES384 verify")
        .containsPattern(
            "full verification, real AWS doc \\(5 certs\\) +\\d+ docs/s  \\(\\d+\\.\\d\\d x baseline\\)")
        .contains("full verification, certificates never seen before");
  }

  private static int count(Pattern pattern, String output) {
    Matcher matcher = pattern.matcher(output);
    assertThat(matcher.find()).as("TAP summary in:\n" + output).isTrue();
    return Integer.parseInt(matcher.group(1));
  }
}
