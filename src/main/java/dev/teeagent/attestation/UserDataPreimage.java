package dev.teeagent.attestation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.Jcs;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What an attestation's {@code user_data} commits to (DESIGN §4): {@code user_data} = sha256 of the
 * JCS of {@code {tee_name, operator, address, state_hash}}, addresses EIP-55. The agent returns the
 * preimage beside the document so anyone can recompute it. With HTTPS on, {@code tls_spki_sha256}
 * (the 0x-hex SHA-256 of the TLS certificate's DER SubjectPublicKeyInfo) joins them, binding the
 * key that terminates TLS inside the enclave; without HTTPS the member is absent, and the preimage
 * is the one of before.
 */
public record UserDataPreimage(
    String teeName,
    String operator,
    String address,
    String stateHash,
    @JsonInclude(JsonInclude.Include.NON_NULL) String tlsSpkiSha256) {

  /** A preimage without a TLS key (HTTPS off). */
  public UserDataPreimage(String teeName, String operator, String address, String stateHash) {
    this(teeName, operator, address, stateHash, null);
  }

  /** sha256(JCS(this)), with the snake_case member names of {@code mapper}. */
  public byte[] userData(ObjectMapper mapper) {
    try {
      return sha256OfCanonical(mapper.writeValueAsString(this));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("preimage is not serializable", e);
    }
  }

  /** sha256(JCS(preimage)) of a preimage as received, for verifiers. */
  public static byte[] userDataOf(JsonNode preimage) {
    return sha256OfCanonical(preimage.toString());
  }

  private static byte[] sha256OfCanonical(String json) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(Jcs.canonicalize(json));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
