package dev.teeagent.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.testing.NodeScript;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Our ECIES against npm eciesjs 0.5 with its default configuration, both directions. */
class EciesInteropIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void eciesjsDecryptsOurCiphertextsAndWeDecryptItsToTheExactBytes() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    String privateKey = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    SigningKey known = SigningKey.fromPrivateKeyHex(privateKey);
    byte[][] plaintexts = {
      new byte[0], "ünïcödé ✓ 🚀".getBytes(StandardCharsets.UTF_8), new byte[4096]
    };
    RANDOM.nextBytes(plaintexts[2]);

    ObjectNode toNode = mapper.createObjectNode().put("private_key", privateKey);
    ObjectNode fromNode = mapper.createObjectNode().put("public_key", known.publicKeyHex());
    for (byte[] plaintext : plaintexts) {
      toNode
          .withArray("ciphertexts")
          .add("0x" + HEX.formatHex(Ecies.encrypt(known.publicKey(), plaintext, RANDOM)));
      fromNode.withArray("plaintexts").add("0x" + HEX.formatHex(plaintext));
    }
    JsonNode decryptedByNode =
        mapper.readTree(NodeScript.run("ecies.mjs", toNode.toString(), "decrypt"));
    JsonNode encryptedByNode =
        mapper.readTree(NodeScript.run("ecies.mjs", fromNode.toString(), "encrypt"));

    for (int i = 0; i < plaintexts.length; i++) {
      assertThat(HEX.parseHex(decryptedByNode.get(i).asText().substring(2)))
          .isEqualTo(plaintexts[i]);
      byte[] theirs = HEX.parseHex(encryptedByNode.get(i).asText().substring(2));
      assertThat(Ecies.decrypt(known, theirs)).isEqualTo(plaintexts[i]);
    }
  }
}
