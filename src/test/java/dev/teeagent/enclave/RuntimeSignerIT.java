package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's signer on the jlink runtime, and the library the image carries for it. The
 * Dockerfile's libsecp256k1 comes from enclave/fetch-secp256k1.sh (Debian 12's package, pinned
 * version and SHA-256): here the script runs for real, and the agent on the runtime loads exactly
 * the file it wrote (LD_LIBRARY_PATH stands in for the image's system library directory) and signs
 * with it, whether or not the host has the library. Where no libsecp256k1 can be loaded (the image
 * before it carried one), the agent says so and signs with its pure-Java code.
 */
class RuntimeSignerIT {
  /**
   * Runs its arguments in a private mount namespace (a user namespace: no privilege needed) where
   * every libsecp256k1 in the loader's directories reads as /dev/null, so dlopen finds none.
   */
  private static final List<String> WITHOUT_LIBSECP256K1 =
      List.of(
          "unshare",
          "-rm",
          "--propagation",
          "private",
          "sh",
          "-c",
          "unset LD_LIBRARY_PATH; for f in /lib/x86_64-linux-gnu/libsecp256k1.so*"
              + " /usr/lib/x86_64-linux-gnu/libsecp256k1.so*;"
              + " do if [ -e \"$f\" ]; then mount --bind /dev/null \"$(readlink -f \"$f\")\" || exit 1;"
              + " fi; done; exec \"$@\"",
          "sh");

  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final String SCRIPT = "enclave/fetch-secp256k1.sh";
  private static final String LIBRARY = "libsecp256k1.so.1";

  private static Path fetched;
  private static ExternalCommand.Result fetch;
  private static RuntimeAgent agent;

  @BeforeAll
  static void fetchTheImagesLibraryAndStartTheAgentWithIt() throws Exception {
    RuntimeAgent.buildRuntime();
    fetched = Files.createTempDirectory("image-secp256k1");
    fetch = fetch(EnclaveFiles.path(SCRIPT), fetched);
    assertThat(fetch.exitCode()).as(fetch.output()).isZero();
    agent =
        RuntimeAgent.start(
            RuntimeAgent.RUNTIME,
            "native-signer",
            InitScriptTest.OPERATOR,
            Map.of("LD_LIBRARY_PATH", fetched.toString()));
  }

  @AfterAll
  static void stopTheAgent() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void writesOnlyTheSharedLibraryUnderTheNameTheAgentLooksUp() throws Exception {
    try (Stream<Path> files = Files.list(fetched)) {
      assertThat(files.map(file -> file.getFileName().toString())).containsExactly(LIBRARY);
    }
    Path library = fetched.resolve(LIBRARY);
    assertThat(Files.isSymbolicLink(library)).isFalse();
    byte[] elfMagic = {0x7f, 'E', 'L', 'F'};
    assertThat(Arrays.copyOf(Files.readAllBytes(library), 4)).isEqualTo(elfMagic);
    assertThat(fetch.stdout()).contains("deb sha256 " + pinnedSha256());
  }

  @Test
  void theAgentOnTheJlinkRuntimeSignsItsAnswersWithTheImagesLibrary() throws Exception {
    String body = agent.await("/api/v1/config");
    assertThat(agent.log()).contains(NativeSigner.LOADED + "1)");
    assertThat(agent.memoryMaps()).contains(fetched.resolve(LIBRARY).toString());
    RuntimeAgent.assertSignedBy(body, MAPPER.readTree(body).get("address").asText());
    assertThat(MAPPER.readTree(body).at("/build/signing_backend").asText())
        .isEqualTo("libsecp256k1");
  }

  @Test
  void withoutAnyLibsecp256k1TheAgentSaysSoAndSignsWithItsPureJavaCode() throws Exception {
    try (RuntimeAgent withoutLibrary =
        RuntimeAgent.start(
            WITHOUT_LIBSECP256K1,
            RuntimeAgent.RUNTIME,
            "java-signer",
            InitScriptTest.OPERATOR,
            Map.of())) {
      String body = withoutLibrary.await("/api/v1/config");
      assertThat(withoutLibrary.log())
          .contains(NativeSigner.FALLBACK)
          .doesNotContain(NativeSigner.LOADED);
      assertThat(withoutLibrary.memoryMaps()).doesNotContain("libsecp256k1");
      RuntimeAgent.assertSignedBy(body, MAPPER.readTree(body).get("address").asText());
      assertThat(MAPPER.readTree(body).at("/build/signing_backend").asText()).isEqualTo("java");
    }
  }

  @Test
  void refusesAPackageWhoseSha256IsNotThePinnedOne() throws Exception {
    String pinned = pinnedSha256();
    Path tampered = Files.createTempFile("fetch-secp256k1", ".sh");
    String other = (pinned.charAt(0) == '0' ? "1" : "0") + pinned.substring(1);
    Files.writeString(tampered, EnclaveFiles.read(SCRIPT).replace(pinned, other));
    Path out = Files.createTempDirectory("refused-secp256k1");

    ExternalCommand.Result refused = fetch(tampered, out);

    assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    assertThat(refused.stderr()).contains("checksum mismatch");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.toList()).isEmpty();
    }
  }

  private static ExternalCommand.Result fetch(Path script, Path out) {
    return ExternalCommand.of(List.of("sh", script.toString(), out.toString()))
        .timeout(Duration.ofMinutes(2))
        .run();
  }

  private static String pinnedSha256() {
    Matcher pin =
        Pattern.compile("\nLIBSECP256K1_SHA256=([0-9a-f]{64})\n")
            .matcher(EnclaveFiles.read(SCRIPT));
    assertThat(pin.find()).as("the pinned SHA-256 in " + SCRIPT).isTrue();
    return pin.group(1);
  }
}
