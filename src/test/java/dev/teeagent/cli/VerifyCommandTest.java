package dev.teeagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code verify --document} on the real AWS documents, in process. */
class VerifyCommandTest {
  private static final String PROD_PCR0 =
      "294e8442cb9eccf0a6e0f7052cf43b2d294f557628a55d7ba7b0137aa13d944c90bd5f627cb6de29c60b7b861e790ea3";
  private static final String PROD_PCR1 =
      "0343b056cd8485ca7890ddd833476d78460aed2aa161548e4e26bedf321726696257d623e8805f3f605946b3d8b0c6aa";
  private static final String PROD_PCR2 =
      "4e805c51312651e9aebd8ea6bed35750f6c21d94110fcc02db66bbd321f605eaf863ba407e513ea93dc3b2b3f9f6922d";
  private static final String ZERO_PCR = "00".repeat(48);

  @TempDir Path dir;

  private static CliRun verify(String... args) {
    return CliRun.of("verify", args);
  }

  private Path fixture(String name) throws IOException {
    Path file = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/attestation/" + name)) {
      Files.write(file, in.readAllBytes());
    }
    return file;
  }

  @Test
  void aRealDocumentVerifiesAtItsOwnTimeWithItsPcrsFromANitroCliFile() throws Exception {
    Path pcrs =
        Files.writeString(
            dir.resolve("pcrs.json"),
            "{\"Measurements\": {\"HashAlgorithm\": \"Sha384 { ... }\", \"PCR0\": \""
                + PROD_PCR0
                + "\", \"PCR1\": \""
                + PROD_PCR1
                + "\", \"PCR2\": \""
                + PROD_PCR2
                + "\"}}");
    CliRun run =
        verify(
            "--document",
            fixture("nitro_prod_2025-02-21.cbor").toString(),
            "--at-document-time",
            "--pcrs",
            pcrs.toString(),
            "--pcr8",
            ZERO_PCR,
            "--nonce",
            "0x0123456789abcdef0123456789abcdef01234567");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err())
        .contains("ok    signature")
        .contains("ok    pcrs: PCR0, PCR1, PCR2, PCR8 as expected")
        .contains("ok    nonce")
        .endsWith("VERIFIED\n");
    assertThat(run.out())
        .contains("\"time\" : \"2025-02-21T03:44:37.116Z\"")
        .contains("\"PCR0\" : \"" + PROD_PCR0 + "\"")
        .contains("\"public_key\" : \"64756d6d79\"")
        .contains(
            "\"root_sha256\" : \"641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b\"");
  }

  @Test
  void aRealDocumentFailsNowAndOneDayLaterAsExpired() throws Exception {
    String document = fixture("nitro_prod_2025-02-21.cbor").toString();
    for (CliRun run :
        new CliRun[] {
          verify("--document", document),
          verify("--document", document, "--at", "2025-02-22T03:44:37Z")
        }) {
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.err())
          .contains("FAIL  chain:")
          .contains("is not valid at")
          .contains("NOT VERIFIED");
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  void aWrongPcrFailsNamingItsIndexAndStillPrintsTheVerifiedFields() throws Exception {
    CliRun run =
        verify(
            "--document",
            fixture("nitro_prod_2025-02-21.cbor").toString(),
            "--at-document-time",
            "--pcr2=" + ZERO_PCR);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("FAIL  pcrs: PCR2 is " + PROD_PCR2 + ", expected " + ZERO_PCR);
    assertThat(run.out()).contains("\"module_id\"");
  }

  @Test
  void withoutExpectedPcrsTheVerdictSaysTheCodeIsNotPinnedUnlessAnyCodeIsAllowed()
      throws Exception {
    String document = fixture("nitro_prod_2025-02-21.cbor").toString();
    Path onlyAlgorithm =
        Files.writeString(dir.resolve("no-pcr.json"), "{\"HashAlgorithm\": \"Sha384 { ... }\"}");
    Path emptyMeasurements = Files.writeString(dir.resolve("empty.json"), "{\"Measurements\": {}}");
    for (CliRun run :
        new CliRun[] {
          verify("--document", document, "--at-document-time"),
          verify("--document", document, "--at-document-time", "--pcrs", onlyAlgorithm.toString()),
          verify(
              "--document", document, "--at-document-time", "--pcrs", emptyMeasurements.toString())
        }) {
      assertThat(run.exit()).as(run.err()).isEqualTo(1);
      assertThat(run.err())
          .contains("ok    chain:")
          .endsWith(
              "NOT VERIFIED: the code is not pinned (no expected PCRs given): give --pcrs FILE or"
                  + " --pcrN HEX, or --allow-any-code to accept whatever code the enclave runs\n")
          .doesNotContain("\nVERIFIED");
    }
    CliRun allowed = verify("--document", document, "--at-document-time", "--allow-any-code");
    assertThat(allowed.exit()).as(allowed.err()).isZero();
    assertThat(allowed.err())
        .endsWith("VERIFIED (any code: no PCRs pinned, as --allow-any-code asked)\n");
  }

  @Test
  void theDebugDocumentIsRefusedUnlessDebugIsAllowed() throws Exception {
    String document = fixture("nitro_debug_2022-10-12.cbor").toString();
    CliRun refused = verify("--document", document, "--at-document-time");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("FAIL  debug:").contains("--allow-debug");
    CliRun allowed =
        verify("--document", document, "--at-document-time", "--allow-debug", "--allow-any-code");
    assertThat(allowed.exit()).as(allowed.err()).isZero();
    assertThat(allowed.out()).contains("\"debug_mode\" : true").contains("\"nonce\" : null");
  }

  @Test
  void aFlippedByteFailsWithOneLineNamingTheSignature() throws Exception {
    Path document = fixture("nitro_prod_2025-02-21.cbor");
    byte[] bytes = Files.readAllBytes(document);
    bytes[bytes.length - 10] ^= 1;
    Files.write(document, bytes);
    CliRun run = verify("--document", document.toString(), "--at-document-time");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("FAIL  signature: the ES384 signature does not verify");
  }

  @Test
  void usageErrorsExitWith2() throws Exception {
    String document = fixture("nitro_prod_2025-02-21.cbor").toString();
    assertThat(verify().exit()).isEqualTo(2);
    assertThat(verify("--document", document, "--url", "http://127.0.0.1:1").exit()).isEqualTo(2);
    assertThat(verify("--document", document, "--pcr0", "abc").err())
        .contains("PCR0 must be 48 bytes");
    assertThat(verify("--document", document, "--pcr40", ZERO_PCR).err()).contains("0..31");
    assertThat(verify("--document", document, "--frobnicate").err()).contains("--frobnicate");
    assertThat(verify("--document", document, "--at", "yesterday").exit()).isEqualTo(2);
    assertThat(verify("--url", "http://127.0.0.1:1", "--at-document-time").exit()).isEqualTo(2);
    CliRun locked = verify("--document", document, "--require-locked");
    assertThat(locked.exit()).isEqualTo(2);
    assertThat(locked.err())
        .contains("--require-locked applies to --url only: custody is in the agent's user_data");
  }

  @Test
  void maxAgeTakesTheOneDurationSyntaxAndABareNumberStaysSeconds() {
    assertThat(maxAge("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(maxAge("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(maxAge("PT10M")).isEqualTo(Duration.ofMinutes(10));
    assertThat(maxAge("45")).isEqualTo(Duration.ofSeconds(45));
    assertThat(maxAge(null)).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void aBadMaxAgeIsAUsageErrorNamingTheFlag() {
    for (String bad : new String[] {"2 days", "-5s", "0", "soon"}) {
      CliRun run = verify("--url", "http://127.0.0.1:1", "--max-age", bad);
      assertThat(run.exit()).as(bad).isEqualTo(2);
      assertThat(run.err()).as(bad).contains("--max-age");
    }
    assertThat(verify("--url", "http://127.0.0.1:1", "--max-age", "500ms").err())
        .contains("--max-age must be at least 1 second");
  }

  private static Duration maxAge(String value) {
    String[] args =
        value == null
            ? new String[] {"verify", "--url", "http://127.0.0.1:1"}
            : new String[] {"verify", "--url", "http://127.0.0.1:1", "--max-age", value};
    CommandLine.ParseResult parsed = TeeAgentCli.commandLine(args).parseArgs(args);
    VerifyCommand command = (VerifyCommand) parsed.subcommand().commandSpec().userObject();
    return command.maxAge;
  }

  @Test
  void anUnreachableAgentIsOneSentenceAndExitOne() {
    CliRun run = verify("--url", "http://127.0.0.1:1");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("tee-agent verify: nothing answers at 127.0.0.1:1 — is the agent running?\n");
  }
}
