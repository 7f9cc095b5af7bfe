package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Static checks of enclave/Dockerfile (no Docker engine here): what is pinned, what is verified,
 * and that the build arguments reach the agent.
 */
class DockerfileTest {
  private static final Pattern DIGEST_PINNED =
      Pattern.compile("[a-z0-9./_-]+(:[A-Za-z0-9._-]+)?@sha256:[0-9a-f]{64}");
  private static final Pattern DOWNLOAD =
      Pattern.compile("\\b(curl|wget|go mod download|go install|go get)\\b|^ADD\\s+https?://");
  private static final Pattern PIPED_INTO_SHELL =
      Pattern.compile("\\b(curl|wget)\\b[^;&]*\\|\\s*(sudo\\s+)?(sh|bash|ash|dash)\\b");

  private final Dockerfile dockerfile = Dockerfile.load(EnclaveFiles.path("enclave/Dockerfile"));

  @Test
  void pinsEveryBaseImageByDigestOrNamesAnEarlierStage() {
    List<String> stages = dockerfile.stageNames();
    assertThat(dockerfile.froms()).hasSizeGreaterThanOrEqualTo(4);
    for (Dockerfile.From from : dockerfile.froms()) {
      boolean earlierStage = stages.subList(0, from.stage()).contains(from.image());
      assertThat(earlierStage || DIGEST_PINNED.matcher(from.image()).matches())
          .as("FROM %s must be pinned by @sha256 digest", from.image())
          .isTrue();
    }
  }

  @Test
  void neverRefersToALatestTag() {
    assertThat(dockerfile.text()).doesNotContainIgnoringCase(":latest");
    for (Dockerfile.From from : dockerfile.froms()) {
      assertThat(from.image()).doesNotContainIgnoringCase("latest");
    }
  }

  @Test
  void pinsTheBuildToolsImagesByDigestToo() {
    assertThat(EnclaveFiles.read("Makefile"))
        .containsPattern("BUILDKIT_IMAGE := moby/buildkit:v[0-9.]+@sha256:[0-9a-f]{64}\\n");
    assertThat(EnclaveFiles.read("enclave/nitro-cli.sh"))
        .containsPattern("AMAZON_LINUX=amazonlinux:2023@sha256:[0-9a-f]{64}\\n")
        .containsPattern("NITRO_CLI_VERSION=[0-9.]+-[0-9]+\\.amzn2023\\n");
  }

  @Test
  void pipesNoDownloadIntoAShell() {
    for (String file : EnclaveFiles.shellScripts()) {
      assertThat(PIPED_INTO_SHELL.matcher(EnclaveFiles.read(file)).find()).as(file).isFalse();
    }
    for (Dockerfile.Instruction run : dockerfile.instructions("RUN")) {
      assertThat(PIPED_INTO_SHELL.matcher(run.arguments()).find()).as(run.arguments()).isFalse();
    }
  }

  @Test
  void checksEveryDownloadAgainstAPinnedChecksumInTheSameStep() {
    List<Dockerfile.Instruction> downloads =
        dockerfile.instructions().stream()
            .filter(i -> DOWNLOAD.matcher(i.keyword() + " " + i.arguments()).find())
            .toList();
    assertThat(downloads).as("the gvforwarder module download").isNotEmpty();
    for (Dockerfile.Instruction download : downloads) {
      assertThat(download.arguments())
          .as("download without checksum check: %s", download.arguments())
          .containsPattern("sha256sum (-c|--check)|grep -q .*Sum\\W+\\$GVISOR_TAP_VSOCK_SUM");
    }
    assertThat(dockerfile.text())
        .containsPattern("ARG GVISOR_TAP_VSOCK_VERSION=v\\d+\\.\\d+\\.\\d+\\n")
        .containsPattern("ARG GVISOR_TAP_VSOCK_SUM=h1:[A-Za-z0-9+/]{43}=\\n");
  }

  @Test
  void checksTheMavenDistributionAndTheHostsGvproxyAgainstPinnedChecksums() {
    assertThat(EnclaveFiles.read(".mvn/wrapper/maven-wrapper.properties"))
        .containsPattern("distributionSha256Sum=[0-9a-f]{64}");
    String setup = EnclaveFiles.read("setup.sh");
    assertThat(setup)
        .containsPattern("GVPROXY_VERSION=v\\d+\\.\\d+\\.\\d+\\n")
        .containsPattern("GVPROXY_SHA256=[0-9a-f]{64}\\n")
        .contains("sha256sum --check");
  }

  @Test
  void requiresAndValidatesTheBuildArgumentsBeforeAssemblingTheImage() {
    String checks =
        String.join("\n", dockerfile.instructions("RUN").stream().map(i -> i.arguments()).toList());
    assertThat(checks)
        .contains("build argument TEE_NAME is required")
        .contains("'^0x[0-9a-fA-F]{40}$'")
        .contains("enclave/CheckSettings.java \"$TEE_NAME\" \"$OPERATOR_ADDRESS\"");
  }

  @Test
  void passesTeeNameAndOperatorIntoTheFinalImagesEnvironment() {
    int last = dockerfile.froms().size() - 1;
    List<String> finalArgs =
        dockerfile.instructions("ARG").stream()
            .filter(i -> i.stage() == last)
            .map(Dockerfile.Instruction::arguments)
            .toList();
    assertThat(finalArgs).contains("TEE_NAME", "OPERATOR_ADDRESS");
    List<Dockerfile.Instruction> env =
        dockerfile.instructions("ENV").stream().filter(i -> i.stage() == last).toList();
    assertThat(env).hasSize(1);
    assertThat(env.getFirst().arguments())
        .containsPattern("(^|\\s)TEE_NAME=\\$\\{TEE_NAME}(\\s|$)")
        .containsPattern("(^|\\s)OPERATOR_ADDRESS=\\$\\{OPERATOR_ADDRESS}(\\s|$)");
  }

  @Test
  void startsInitAndInstallsNothingInTheFinalStage() {
    int last = dockerfile.froms().size() - 1;
    assertThat(dockerfile.instructions("RUN")).noneMatch(i -> i.stage() == last);
    assertThat(dockerfile.instructions("ENTRYPOINT"))
        .singleElement()
        .extracting(Dockerfile.Instruction::arguments)
        .isEqualTo("[\"/opt/tee-agent/init\"]");
    assertThat(dockerfile.instructions("COPY"))
        .anyMatch(i -> i.arguments().equals("--chmod=0755 enclave/init /opt/tee-agent/init"));
  }

  @Test
  void buildsTheRuntimeWithTheScriptThatMakeRuntimeUses() {
    assertThat(dockerfile.instructions("RUN"))
        .anyMatch(i -> i.arguments().contains("sh enclave/build-runtime.sh \"$JAVA_HOME\""));
    assertThat(EnclaveFiles.read("Makefile"))
        .contains("sh enclave/build-runtime.sh \"$(JAVA_HOME)\" $(RUNTIME)");
  }
}
