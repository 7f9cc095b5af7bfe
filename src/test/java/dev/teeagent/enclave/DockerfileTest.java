package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
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

  /** The project's scripts the image build runs download too: same rule, over https only. */
  @Test
  void checksEveryDownloadOfTheScriptsItRunsAgainstAPinnedSha256() {
    List<String> scripts = scriptsTheImageBuildRuns();
    assertThat(scripts).contains("enclave/fetch-secp256k1.sh", "enclave/build-runtime.sh");
    List<String> downloading =
        scripts.stream().filter(file -> DOWNLOAD.matcher(EnclaveFiles.read(file)).find()).toList();
    assertThat(downloading).as("the libsecp256k1 package download").isNotEmpty();
    for (String file : downloading) {
      assertThat(EnclaveFiles.read(file))
          .as(file)
          .containsPattern("\\n[A-Z0-9_]+_SHA256=[0-9a-f]{64}\\n")
          .containsPattern("sha256sum --check")
          .contains("--proto '=https'")
          .doesNotContainPattern("\\bwget\\b|http://");
    }
  }

  @Test
  void putsLibsecp256k1FromThePinnedDebian12PackageWhereTheFinalStagesLoaderLooks() {
    List<Dockerfile.From> froms = dockerfile.froms();
    Dockerfile.From library =
        froms.stream().filter(from -> from.name().equals("secp256k1")).findFirst().orElseThrow();
    // Built for Debian 12's glibc, which is the final stage's (distroless cc-debian12).
    assertThat(library.image()).startsWith("golang:1.25-bookworm@sha256:");
    assertThat(froms.getLast().image()).startsWith("gcr.io/distroless/cc-debian12@sha256:");
    assertThat(dockerfile.instructions("RUN"))
        .filteredOn(i -> i.stage() == library.stage())
        .extracting(Dockerfile.Instruction::arguments)
        .containsExactly("sh /build/fetch-secp256k1.sh /out");
    // /usr/lib/x86_64-linux-gnu is a system directory of Debian 12's ld.so: dlopen finds the
    // library there by name, with no ld.so.cache entry and no LD_LIBRARY_PATH.
    assertThat(dockerfile.instructions("COPY"))
        .filteredOn(i -> i.stage() == froms.getLast().stage())
        .extracting(Dockerfile.Instruction::arguments)
        .contains(
            "--from=secp256k1 /out/libsecp256k1.so.1 /usr/lib/x86_64-linux-gnu/libsecp256k1.so.1");
    assertThat(EnclaveFiles.read("enclave/fetch-secp256k1.sh"))
        .containsPattern("\\nLIBSECP256K1_VERSION=\\d+\\.\\d+\\.\\d+-\\d+\\n")
        .containsPattern("\\nLIBSECP256K1_SHA256=[0-9a-f]{64}\\n")
        .contains(
            "URL=https://deb.debian.org/debian/pool/main/libs/libsecp256k1/"
                + "libsecp256k1-1_${LIBSECP256K1_VERSION}_amd64.deb\n");
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

  /** Maven's resolver checks each file against enclave/maven-checksums (MavenDownloadsPinnedIT). */
  @Test
  void checksEveryMavenDownloadAgainstAPinnedSha256BeforeTheFirstMavenRun() {
    List<Dockerfile.Instruction> instructions = dockerfile.instructions();
    int pinned = -1;
    int firstMaven = -1;
    for (int i = 0; i < instructions.size(); i++) {
      Dockerfile.Instruction instruction = instructions.get(i);
      if (instruction.keyword().equals("ENV")
          && instruction.arguments().startsWith("MAVEN_ARGS=")
          && pinned < 0) {
        pinned = i;
      }
      if (instruction.keyword().equals("RUN")
          && instruction.arguments().contains("./mvnw")
          && firstMaven < 0) {
        firstMaven = i;
      }
    }
    assertThat(pinned).isNotNegative().isLessThan(firstMaven);
    assertThat(instructions.get(pinned).arguments())
        .contains("-Daether.artifactResolver.postProcessor.trustedChecksums=true")
        .contains("trustedChecksums.checksumAlgorithms=SHA-256")
        .contains("trustedChecksums.failIfMissing=true")
        .contains(
            "-Daether.trustedChecksumsSource.summaryFile.basedir=/build/enclave/maven-checksums")
        .doesNotContain("record=true");
    assertThat(dockerfile.instructions("COPY"))
        .anyMatch(i -> i.arguments().equals("enclave/maven-checksums/ enclave/maven-checksums/"));
    assertThat(dockerfile.instructions("RUN"))
        .filteredOn(i -> i.arguments().contains("./mvnw"))
        .hasSize(2)
        .last()
        .extracting(Dockerfile.Instruction::arguments)
        .asString()
        .contains(" -o ");
  }

  @Test
  void requiresAndValidatesTheBuildArgumentsBeforeAssemblingTheImage() {
    String checks =
        String.join("\n", dockerfile.instructions("RUN").stream().map(i -> i.arguments()).toList());
    assertThat(checks)
        .contains("build argument TEE_NAME is required")
        .contains("'^0x[0-9a-fA-F]{40}$'")
        .contains("build argument KMS_REGION must be an AWS region")
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
    assertThat(finalArgs).contains("TEE_NAME", "OPERATOR_ADDRESS", "KMS_KEY_ID=", "KMS_REGION=");
    List<Dockerfile.Instruction> env =
        dockerfile.instructions("ENV").stream().filter(i -> i.stage() == last).toList();
    assertThat(env).hasSize(1);
    assertThat(env.getFirst().arguments())
        .containsPattern("(^|\\s)TEE_NAME=\\$\\{TEE_NAME}(\\s|$)")
        .containsPattern("(^|\\s)OPERATOR_ADDRESS=\\$\\{OPERATOR_ADDRESS}(\\s|$)")
        .containsPattern("(^|\\s)KMS_KEY_ID=\\$\\{KMS_KEY_ID}(\\s|$)")
        .containsPattern("(^|\\s)KMS_REGION=\\$\\{KMS_REGION}(\\s|$)");
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

  /** The enclave/ scripts the image build runs (named in the Dockerfile and run by a RUN). */
  private List<String> scriptsTheImageBuildRuns() {
    Matcher named = Pattern.compile("enclave/[A-Za-z0-9._-]+\\.sh").matcher(dockerfile.text());
    List<String> scripts = new ArrayList<>();
    while (named.find()) {
      String file = named.group();
      String name = file.substring(file.lastIndexOf('/') + 1);
      boolean run =
          dockerfile.instructions("RUN").stream()
              .anyMatch(i -> i.arguments().matches("sh \\S*/" + Pattern.quote(name) + " .*"));
      if (run && !scripts.contains(file)) {
        scripts.add(file);
      }
    }
    return scripts;
  }

  @Test
  void buildsTheRuntimeWithTheScriptThatMakeRuntimeUses() {
    assertThat(dockerfile.instructions("RUN"))
        .anyMatch(i -> i.arguments().contains("sh enclave/build-runtime.sh \"$JAVA_HOME\""));
    assertThat(EnclaveFiles.read("Makefile"))
        .contains("sh enclave/build-runtime.sh \"$(JAVA_HOME)\" $(RUNTIME)");
  }
}
