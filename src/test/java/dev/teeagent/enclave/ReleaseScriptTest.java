package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.testing.ExternalCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make release} in a throw-away clone of this commit: it refuses what would make a wrong
 * release, and tags a clean tree with the hashes of the reproducible build. The two builds of
 * check-reproducible are stood in for (its own test and {@code make check-reproducible} run them).
 */
class ReleaseScriptTest {
  private static final String JAR = "a".repeat(64);
  private static final String RUNTIME = "b".repeat(64);

  @TempDir Path dir;
  private Path clone;
  private Path check;

  @BeforeEach
  void cloneThisCommit() throws IOException {
    clone = dir.resolve("clone");
    // Without the repository's tags: the release it rehearses may have been cut already.
    ExternalCommand.Result cloned =
        ExternalCommand.of(
                "git", "clone", "--quiet", "--no-hardlinks", "--no-tags", ".", clone.toString())
            .run();
    assertThat(cloned.exitCode()).as(cloned.output()).isZero();
    check = dir.resolve("check-reproducible");
    Files.writeString(
        check,
        "#!/bin/sh\necho \"check-reproducible: OK (jar sha256 "
            + JAR
            + ", runtime sha256 "
            + RUNTIME
            + ")\"\n");
    Files.setPosixFilePermissions(check, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private String pomVersion() throws IOException {
    String pom = Files.readString(clone.resolve("pom.xml"));
    int start = pom.indexOf("<version>") + "<version>".length();
    return pom.substring(start, pom.indexOf("</version>", start));
  }

  private ExternalCommand.Result release(String version) {
    return ExternalCommand.of("make", "--no-print-directory", "release", "VERSION=" + version)
        .in(clone)
        .env("CHECK_REPRODUCIBLE", check.toString())
        .env("GIT_COMMITTER_NAME", "Release Test")
        .env("GIT_COMMITTER_EMAIL", "release@test.invalid")
        .env("GIT_AUTHOR_NAME", "Release Test")
        .env("GIT_AUTHOR_EMAIL", "release@test.invalid")
        .run();
  }

  @Test
  void tagsACleanTreeWithTheChangelogAndTheBuildsHashesAndSaysWhatIsNotComputed()
      throws IOException {
    String version = pomVersion();
    ExternalCommand.Result run = release(version);
    assertThat(run.exitCode()).as(run.output()).isZero();
    String message =
        ExternalCommand.of("git", "tag", "-l", "--format=%(contents)", "v" + version)
            .in(clone)
            .run()
            .stdout();
    assertThat(message)
        .startsWith("TEE Agent v" + version)
        .contains("jar sha256      " + JAR)
        .contains("runtime sha256  " + RUNTIME)
        .contains("PCRs            not computed here");
    String head = ExternalCommand.of("git", "rev-parse", "HEAD").in(clone).run().stdout().strip();
    assertThat(Files.readString(clone.resolve("build/release-v" + version + ".json")))
        .contains("\"commit\": \"" + head + "\"")
        .contains("\"jar_sha256\": \"" + JAR + "\"")
        .contains("need Docker");

    ExternalCommand.Result again = release(version);
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.stderr())
        .contains("release: the tag v" + version + " exists already: a release is cut once");
  }

  @Test
  void refusesAWrongVersionADirtyTreeOrAMissingChangelogSection() throws IOException {
    assertThat(release("1.2").stderr()).contains("release: give the version as X.Y.Z");
    assertThat(release("98.0.0").stderr())
        .contains("release: pom.xml says version " + pomVersion() + ", not 98.0.0");

    Files.writeString(clone.resolve("CHANGELOG.md"), "# Changelog\n");
    assertThat(release(pomVersion()).stderr())
        .contains("release: the tree has uncommitted changes");
    ExternalCommand.of(
            "git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-qam", "x")
        .in(clone)
        .run();
    ExternalCommand.Result noSection = release(pomVersion());
    assertThat(noSection.exitCode()).isNotZero();
    assertThat(noSection.stderr())
        .contains("release: CHANGELOG.md has no \"## v" + pomVersion() + "\" section");
    assertThat(ExternalCommand.of("git", "tag").in(clone).run().stdout()).isEmpty();
  }
}
