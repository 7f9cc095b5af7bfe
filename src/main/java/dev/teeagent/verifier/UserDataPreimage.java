package dev.teeagent.verifier;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.teeagent.crypto.Jcs;
import dev.teeagent.json.UntrustedText;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What an attestation's {@code user_data} commits to (DESIGN §4): {@code user_data} = sha256 of the
 * JCS of {@code {tee_name, operator, address, state_hash}}, addresses EIP-55. The agent returns the
 * preimage beside the document so anyone can recompute it. With HTTPS on, {@code tls_spki_sha256}
 * (the 0x-hex SHA-256 of the TLS certificate's DER SubjectPublicKeyInfo) joins them, binding the
 * key that terminates TLS inside the enclave; without HTTPS the member is absent, and the preimage
 * is the one of before. With a sealed identity, {@code custody} (an object, {@link
 * AttestedCustody}) joins them: the KMS key that holds the identity and whether its policy is
 * locked to this image.
 *
 * <p>The record's components are, in one place, the members a verifier knows how to check: a
 * verifier vouches only for what it understands, so a received preimage with any other member, or
 * without one of these, fails the {@code user data} check ({@link #problems}). The JS verifier
 * keeps the same list in verifier-js/src/preimage.js: add a member to both.
 */
public record UserDataPreimage(
    String teeName,
    String operator,
    String address,
    String stateHash,
    @JsonInclude(JsonInclude.Include.NON_NULL) String tlsSpkiSha256,
    @JsonInclude(JsonInclude.Include.NON_NULL) AttestedCustody custody) {

  /** A preimage without a TLS key (HTTPS off) or custody (no sealed identity). */
  public UserDataPreimage(String teeName, String operator, String address, String stateHash) {
    this(teeName, operator, address, stateHash, null, null);
  }

  /** A preimage without custody (no sealed identity). */
  public UserDataPreimage(
      String teeName, String operator, String address, String stateHash, String tlsSpkiSha256) {
    this(teeName, operator, address, stateHash, tlsSpkiSha256, null);
  }

  /** The members, as the agent writes them (snake_case of the components, in their order). */
  public static final List<String> MEMBERS =
      Arrays.stream(UserDataPreimage.class.getRecordComponents())
          .map(
              component ->
                  new PropertyNamingStrategies.SnakeCaseStrategy().translate(component.getName()))
          .toList();

  /**
   * Members an agent writes only when they apply: tls_spki_sha256 only with HTTPS on, custody only
   * with a sealed identity.
   */
  static final List<String> OPTIONAL = List.of("tls_spki_sha256", "custody");

  /**
   * The one member that is not text: an object of its own (its shape in {@link AttestedCustody}).
   */
  private static final String CUSTODY = "custody";

  /**
   * What is wrong with a preimage as received, before any comparison: members this verifier does
   * not know, known ones missing or not text. Empty when it maps onto this record.
   */
  public static List<String> problems(JsonNode preimage) {
    if (!preimage.isObject()) {
      return List.of("the preimage is not a JSON object");
    }
    List<String> problems = new ArrayList<>();
    unknownMembers(preimage, MEMBERS, "").ifPresent(problems::add);
    for (String name : MEMBERS) {
      if (name.equals(CUSTODY)) {
        if (preimage.has(name)) {
          problems.addAll(AttestedCustody.problems(preimage.path(name)));
        }
        continue;
      }
      if (OPTIONAL.contains(name)) {
        if (preimage.has(name) && !preimage.path(name).isTextual()) {
          problems.add(name + " is not text");
        }
        continue;
      }
      if (!preimage.path(name).isTextual()) {
        problems.add(name + " is missing or not text");
      }
    }
    return problems;
  }

  /**
   * "members this verifier does not know how to check: …" for the members of {@code object} not in
   * {@code known}, sorted and printable, after {@code prefix}; empty when there are none.
   */
  static Optional<String> unknownMembers(JsonNode object, List<String> known, String prefix) {
    List<String> unknown = new ArrayList<>();
    object.fieldNames().forEachRemaining(unknown::add);
    unknown.removeAll(known);
    if (unknown.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        prefix
            + "members this verifier does not know how to check: "
            + String.join(
                ", ",
                unknown.stream()
                    .sorted()
                    .map(name -> "\"" + UntrustedText.quote(name, 64) + "\"")
                    .toList()));
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
