package dev.teeagent.variables;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.Uint256;
import java.util.List;

/**
 * The body of {@code POST /variables}: {@code {"commands": [...], "nonce", "deadline",
 * "signature"}}, where {@code variables} is accepted as the seed's name for {@code commands}.
 * Serializes back in the canonical shape (always {@code commands}).
 */
public record SignedCommandBatch(
    List<VariableCommand> commands, Uint256 nonce, Uint256 deadline, String signature) {
  /** Keeps the work of one signed batch bounded (each hidden value costs an ECDH). */
  public static final int MAX_COMMANDS = 256;

  public SignedCommandBatch {
    if (commands == null) {
      throw new AgentException(ErrorCode.MISSING_FIELD, "'commands' (or 'variables') is required");
    }
    if (commands.stream().anyMatch(java.util.Objects::isNull)) {
      throw new AgentException(ErrorCode.INVALID_FIELD, "a command must be an object");
    }
    if (commands.size() > MAX_COMMANDS) {
      throw new AgentException(
          ErrorCode.TOO_MANY_COMMANDS, "a batch holds at most " + MAX_COMMANDS + " commands");
    }
    if (nonce == null || deadline == null || signature == null) {
      throw new AgentException(
          ErrorCode.MISSING_FIELD, "'nonce', 'deadline' and 'signature' are required");
    }
    commands = List.copyOf(commands);
  }

  @JsonCreator
  static SignedCommandBatch fromJson(
      @JsonProperty("commands") List<VariableCommand> commands,
      @JsonProperty("variables") List<VariableCommand> variables,
      @JsonProperty("nonce") Uint256 nonce,
      @JsonProperty("deadline") Uint256 deadline,
      @JsonProperty("signature") String signature) {
    if (commands != null && variables != null) {
      throw new AgentException(
          ErrorCode.INVALID_FIELD, "send 'commands' or its seed name 'variables', not both");
    }
    return new SignedCommandBatch(
        commands != null ? commands : variables, nonce, deadline, signature);
  }

  /** Signs {@code batch} for the agent of {@code domain} (operator CLI, tests). */
  public static SignedCommandBatch sign(
      CommandBatch batch, Eip712.Domain domain, SigningKey operatorKey) {
    return new SignedCommandBatch(
        batch.commands(),
        new Uint256(batch.nonce()),
        new Uint256(batch.deadline()),
        operatorKey.signDigest(batch.digest(domain)).toHex());
  }

  public CommandBatch batch() {
    return new CommandBatch(commands, nonce.value(), deadline.value());
  }
}
