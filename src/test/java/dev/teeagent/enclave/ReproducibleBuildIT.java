package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.ExternalCommand;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two builds of the same sources, from clean copies in different directories, give the same jar and
 * the same jlink runtime, byte for byte: the inputs of the image, hence of its PCRs.
 */
class ReproducibleBuildIT {
  @Test
  void twoCleanBuildsInDifferentDirectoriesGiveIdenticalJarsAndRuntimes() {
    ExternalCommand.Result result =
        ExternalCommand.of("make", "check-reproducible")
            .env("JAVA_HOME", System.getProperty("java.home"))
            .withoutEnv("MAKEFLAGS", "MAKELEVEL")
            .timeout(Duration.ofMinutes(10))
            .run();
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.stdout())
        .containsPattern("jar      ([0-9a-f]{64})  \\S+/a/target/tee-agent.jar")
        .containsPattern(
            "check-reproducible: OK \\(jar sha256 [0-9a-f]{64}, runtime sha256 [0-9a-f]{64}\\)");
  }
}
