package dev.teeagent.variables;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;

/**
 * One operator command as signed: {@code VariableCommand(string function,string name,string
 * value,bool hidden,bool immutable)}. Absent members take the seed's defaults (function {@code
 * set}, value empty, flags false), and the signature covers the command with those defaults filled
 * in. What the command may do is decided by {@link VariableRules}, not here.
 */
public record VariableCommand(
    String function, String name, String value, boolean hidden, boolean immutable) {
  public static final String TYPE =
      "VariableCommand(string function,string name,string value,bool hidden,bool immutable)";
  private static final byte[] TYPE_HASH = Eip712.typeHash(TYPE);

  public VariableCommand {
    if (name == null) {
      throw new AgentException(ErrorCode.MISSING_FIELD, "every command needs a 'name'");
    }
    if (function == null || value == null) {
      throw new IllegalArgumentException("function and value are set (possibly to defaults)");
    }
  }

  @JsonCreator
  static VariableCommand fromJson(
      @JsonProperty("function") String function,
      @JsonProperty("name") String name,
      @JsonProperty("value") String value,
      @JsonProperty("hidden") Boolean hidden,
      @JsonProperty("immutable") Boolean immutable,
      @JsonProperty("signature") String perVariableSignature) {
    if (perVariableSignature != null) {
      throw new AgentException(
          ErrorCode.PER_VARIABLE_SIGNATURE,
          "a variable carries its own signature, as in the original API; this agent takes one"
              + " EIP-712 signature over a whole batch: {\"commands\": [{\"function\", \"name\","
              + " \"value\", \"hidden\", \"immutable\"}], \"nonce\", \"deadline\", \"signature\"}"
              + " (see docs/migrating.md and docs/operators.md; ./tee-agent operator"
              + " sign builds one)");
    }
    return new VariableCommand(
        function == null ? "set" : function,
        name,
        value == null ? "" : value,
        Boolean.TRUE.equals(hidden),
        Boolean.TRUE.equals(immutable));
  }

  public static VariableCommand set(String name, String value, boolean hidden, boolean immutable) {
    return new VariableCommand("set", name, value, hidden, immutable);
  }

  /** {@code reveal}, {@code freeze} or {@code delete}: name only. */
  public static VariableCommand of(String function, String name) {
    return new VariableCommand(function, name, "", false, false);
  }

  /** EIP-712 hashStruct of this command. */
  public byte[] structHash() {
    return Eip712.Struct.ofTypeHash(TYPE_HASH)
        .string(function)
        .string(name)
        .string(value)
        .bool(hidden)
        .bool(immutable)
        .hash();
  }

  @Override
  public String toString() {
    // A hidden value is a ciphertext, but it still stays out of logs.
    return "VariableCommand[" + function + " " + name + (hidden ? " (hidden)" : "") + "]";
  }
}
