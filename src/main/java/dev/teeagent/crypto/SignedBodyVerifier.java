package dev.teeagent.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * Checks a signed answer of the agent (DESIGN §3) from the client's side: drop the top-level {@code
 * signature}, canonicalize with JCS, recover the EIP-191 signer and compare it with the {@code
 * signer} member. Used by the verifier CLI and by tests.
 */
public final class SignedBodyVerifier {
  private final ObjectMapper mapper;

  public SignedBodyVerifier(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** A body whose signature recovers to the address in its {@code signer} member. */
  public record Verified(Address signer, ObjectNode body) {}

  /** The verified body, or empty when it is not a correctly signed answer. */
  public Optional<Verified> verify(byte[] body) {
    ObjectNode object;
    try {
      JsonNode tree = mapper.readTree(body);
      if (!(tree instanceof ObjectNode node)) {
        return Optional.empty();
      }
      object = node;
    } catch (IOException e) {
      return Optional.empty();
    }
    JsonNode signatureNode = object.get("signature");
    JsonNode signerNode = object.get("signer");
    if (signatureNode == null || !signatureNode.isTextual() || signerNode == null) {
      return Optional.empty();
    }
    EthSignature signature;
    try {
      signature = EthSignature.parse(signatureNode.textValue());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    ObjectNode unsigned = object.deepCopy();
    unsigned.remove("signature");
    byte[] canonical;
    try {
      canonical = Jcs.canonicalize(unsigned);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return PersonalMessage.recoverSigner(canonical, signature)
        .filter(recovered -> recovered.sameAs(signerNode.asText()))
        .map(recovered -> new Verified(recovered, object));
  }
}
