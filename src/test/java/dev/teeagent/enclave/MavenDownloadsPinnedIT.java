package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image build's Maven step, run as the Dockerfile runs it (its resolver settings, offline
 * here): every plugin, dependency and POM it resolves has a pinned SHA-256 that matches, so a
 * pom.xml change that forgets enclave/pin-maven-downloads.sh fails here, not in the image build;
 * and a file whose checksum differs from the pinned one is refused.
 */
class MavenDownloadsPinnedIT {
  private static final Path PINNED = EnclaveFiles.path("enclave/maven-checksums/checksums.sha256");

  private static ExternalCommand.Result check(Path... checksums) {
    List<String> command =
        new ArrayList<>(
            List.of("sh", EnclaveFiles.path("enclave/pin-maven-downloads.sh").toString()));
    command.add("--check");
    for (Path dir : checksums) {
      command.add(dir.toString());
    }
    return ExternalCommand.of(command)
        .env("JAVA_HOME", System.getProperty("java.home"))
        .withoutEnv("MAVEN_ARGS", "MAKEFLAGS", "MAKELEVEL")
        .timeout(Duration.ofMinutes(5))
        .run();
  }

  @Test
  void everyFileTheImageBuildResolvesIsPinnedAndMatches() throws IOException {
    List<String> lines = Files.readAllLines(PINNED);
    assertThat(lines).hasSizeGreaterThan(100).allMatch(line -> line.matches("[0-9a-f]{64}  \\S+"));
    assertThat(lines)
        .anyMatch(line -> line.contains("/error_prone_core-"))
        .anyMatch(line -> line.contains("/maven-shade-plugin-"))
        .anyMatch(line -> line.contains("/jackson-databind-"));

    ExternalCommand.Result result = check();

    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void aFileWhoseChecksumDiffersFromThePinnedOneIsRefused(@TempDir Path tampered)
      throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(PINNED));
    int databind = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches("[0-9a-f]{64}  \\S+/jackson-databind-[0-9.]+\\.jar")) {
        databind = i;
      }
    }
    assertThat(databind).as("jackson-databind's jar is pinned").isNotNegative();
    lines.set(databind, "0".repeat(64) + lines.get(databind).substring(64));
    Files.write(tampered.resolve("checksums.sha256"), lines);

    ExternalCommand.Result result = check(tampered);

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("jackson-databind").contains("trusted checksum mismatch");
  }
}
