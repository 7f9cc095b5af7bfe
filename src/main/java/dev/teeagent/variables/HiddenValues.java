package dev.teeagent.variables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Ecies;
import dev.teeagent.crypto.Jcs;
import dev.teeagent.crypto.Keccak;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.JsonMappers;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Hidden values on the wire (DESIGN §5): 0x-hex of an eciesjs-format ciphertext to the agent's
 * public key, whose plaintext is the JCS of {@code {"agent", "name", "value"}}. Binding the agent
 * address and the variable name into the plaintext means a ciphertext captured on the way to one
 * variable or one boot cannot be replayed into another. {@link #seal} is the client side (operator
 * CLI, tests); the agent opens with {@link #open}.
 */
public final class HiddenValues implements SecretOpener {
  private static final Pattern HEX = Pattern.compile("0x(?:[0-9a-fA-F]{2})+");
  private static final ObjectMapper MAPPER = JsonMappers.strict();

  private final SigningKey agentKey;

  public HiddenValues(SigningKey agentKey) {
    this.agentKey = agentKey;
  }

  /** The plaintext that gets encrypted. */
  record Sealed(String agent, String name, String value) {
    @Override
    public String toString() {
      return "Sealed[agent=" + agent + ", name=" + name + ", value=[REDACTED]]";
    }
  }

  /** Encrypts {@code value} for variable {@code name} of the agent with this public key. */
  public static String seal(
      byte[] agentPublicKey, Address agent, String name, String value, SecureRandom random) {
    byte[] plaintext;
    try {
      plaintext =
          Jcs.canonicalize(MAPPER.writeValueAsString(new Sealed(agent.checksummed(), name, value)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a hidden value");
    }
    return "0x" + HexFormat.of().formatHex(Ecies.encrypt(agentPublicKey, plaintext, random));
  }

  @Override
  public Opened open(String where, String name, String ciphertextHex) {
    if (!HEX.matcher(ciphertextHex).matches()) {
      throw new AgentException(
          ErrorCode.HIDDEN_VALUE_NOT_ENCRYPTED,
          where
              + ": a hidden value must be sent encrypted to the agent's key (0x-hex of an ECIES"
              + " ciphertext), never in clear");
    }
    byte[] ciphertext = HexFormat.of().parseHex(ciphertextHex, 2, ciphertextHex.length());
    byte[] plaintext;
    try {
      plaintext = Ecies.decrypt(agentKey, ciphertext);
    } catch (Ecies.InvalidCiphertext e) {
      throw new AgentException(
          ErrorCode.BAD_CIPHERTEXT,
          where + ": the value is not an ECIES ciphertext this agent's key can open");
    }
    Sealed sealed;
    try {
      sealed = MAPPER.readValue(plaintext, Sealed.class);
    } catch (IOException e) {
      throw new AgentException(
          ErrorCode.BAD_CIPHERTEXT,
          where + ": the decrypted value is not the JSON {agent, name, value}");
    } finally {
      java.util.Arrays.fill(plaintext, (byte) 0);
    }
    if (sealed.agent() == null || sealed.name() == null || sealed.value() == null) {
      throw new AgentException(
          ErrorCode.BAD_CIPHERTEXT,
          where + ": the decrypted value lacks one of agent, name, value");
    }
    if (!agentKey.address().sameAs(sealed.agent())) {
      throw new AgentException(
          ErrorCode.CIPHERTEXT_MISMATCH, where + ": the value was encrypted for another agent");
    }
    if (!sealed.name().equals(name)) {
      throw new AgentException(
          ErrorCode.CIPHERTEXT_MISMATCH, where + ": the value was encrypted for another variable");
    }
    return new Opened(sealed.value(), Keccak.hashHex(ciphertext));
  }

  /** keccak256 of a 0x-hex ciphertext's bytes, or null when it is not 0x-hex. */
  static String ciphertextHash(String ciphertextHex) {
    if (!HEX.matcher(ciphertextHex).matches()) {
      return null;
    }
    return Keccak.hashHex(HexFormat.of().parseHex(ciphertextHex, 2, ciphertextHex.length()));
  }
}
