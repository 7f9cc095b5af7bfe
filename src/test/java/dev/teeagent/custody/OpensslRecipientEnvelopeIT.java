package dev.teeagent.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.testing.ExternalCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Envelopes made by real {@code openssl cms -encrypt -stream} (BER, indefinite lengths). */
class OpensslRecipientEnvelopeIT {
  @TempDir static Path dir;
  private static PrivateKey key;
  private static final byte[] PLAINTEXT =
      "a 32-byte data key, or any text.".getBytes(StandardCharsets.US_ASCII);

  @BeforeAll
  static void recipient() throws Exception {
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "key.pem",
        "-out",
        "cert.pem",
        "-subj",
        "/CN=enclave",
        "-days",
        "1");
    run(
        "openssl",
        "pkcs8",
        "-topk8",
        "-nocrypt",
        "-in",
        "key.pem",
        "-outform",
        "DER",
        "-out",
        "key.der");
    key =
        KeyFactory.getInstance("RSA")
            .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(dir.resolve("key.der"))));
    Files.write(dir.resolve("plain.bin"), PLAINTEXT);
  }

  @Test
  void opensslStreamedOaepSha256Aes256CbcOpens() throws Exception {
    byte[] cms =
        encrypt(
            "-aes-256-cbc",
            "-keyopt",
            "rsa_padding_mode:oaep",
            "-keyopt",
            "rsa_oaep_md:sha256",
            "-keyopt",
            "rsa_mgf1_md:sha256");

    assertThat(cms[0]).isEqualTo((byte) 0x30);
    assertThat(cms[1]).as("indefinite length").isEqualTo((byte) 0x80);
    assertThat(RecipientEnvelope.open(cms, key)).isEqualTo(PLAINTEXT);
  }

  @Test
  void opensslWithAnotherContentCipherIsRefused() {
    assertThatThrownBy(
            () ->
                RecipientEnvelope.open(
                    encrypt(
                        "-aes-128-cbc",
                        "-keyopt",
                        "rsa_padding_mode:oaep",
                        "-keyopt",
                        "rsa_oaep_md:sha256",
                        "-keyopt",
                        "rsa_mgf1_md:sha256"),
                    key))
        .isInstanceOf(CustodyException.class)
        .hasMessageStartingWith("the CMS content is not encrypted with AES-256-CBC");
  }

  @Test
  void opensslWithPkcs1OrOaepSha1KeyWrapIsRefused() {
    assertThatThrownBy(() -> RecipientEnvelope.open(encrypt("-aes-256-cbc"), key))
        .hasMessage("the CMS content key is not wrapped with RSAES-OAEP SHA-256 (MGF1 SHA-256)");
    assertThatThrownBy(
            () ->
                RecipientEnvelope.open(
                    encrypt("-aes-256-cbc", "-keyopt", "rsa_padding_mode:oaep"), key))
        .hasMessage("the CMS content key is not wrapped with RSAES-OAEP SHA-256 (MGF1 SHA-256)");
  }

  @Test
  void ourWriterHasExactlyTheStructureOfARealKmsAnswerAsOpensslParsesIt() throws Exception {
    java.security.KeyPair recipient = RecipientEnvelopeTest.rsa();
    byte[] ours =
        RecipientEnvelopeWriter.seal(
            new byte[32], recipient.getPublic(), new java.security.SecureRandom());
    Files.write(dir.resolve("ours.der"), ours);
    Files.write(dir.resolve("kms.der"), RecipientEnvelopeTest.kmsSample());

    List<String> kms = skeleton("kms.der");
    assertThat(skeleton("ours.der")).isEqualTo(kms);
    assertThat(kms).filteredOn(line -> line.contains("l=inf")).hasSize(5);
    assertThat(RecipientEnvelope.open(ours, recipient.getPrivate())).isEqualTo(new byte[32]);
  }

  /** openssl's parse without offsets and values: depth, header and length, kind, type. */
  private static List<String> skeleton(String file) {
    ExternalCommand.Result result =
        ExternalCommand.of("openssl", "asn1parse", "-inform", "DER", "-in", file).in(dir).run();
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.stdoutLines().stream()
        .map(line -> line.replaceFirst("^\\s*\\d+:", "").replaceAll(":[0-9A-F]{8,}$", ""))
        .toList();
  }

  private static byte[] encrypt(String... options) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "openssl",
                "cms",
                "-encrypt",
                "-stream",
                "-binary",
                "-in",
                "plain.bin",
                "-outform",
                "DER",
                "-out",
                "env.der",
                "-recip",
                "cert.pem"));
    command.addAll(List.of(options));
    run(command.toArray(String[]::new));
    return Files.readAllBytes(dir.resolve("env.der"));
  }

  private static void run(String... command) {
    ExternalCommand.Result result = ExternalCommand.of(command).in(dir).run();
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
