package dev.teeagent.variables;

import dev.teeagent.crypto.Eip712;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed data an operator signs: {@code CommandBatch(VariableCommand[] commands,uint256
 * nonce,uint256 deadline)} under the agent's domain (DESIGN §5).
 */
public record CommandBatch(List<VariableCommand> commands, BigInteger nonce, BigInteger deadline) {
  public static final String TYPE =
      "CommandBatch(VariableCommand[] commands,uint256 nonce,uint256 deadline)"
          + VariableCommand.TYPE;
  private static final byte[] TYPE_HASH = Eip712.typeHash(TYPE);

  public CommandBatch {
    commands = List.copyOf(commands);
    if (nonce == null || deadline == null) {
      throw new IllegalArgumentException("nonce and deadline are required");
    }
  }

  /** EIP-712 hashStruct of the batch. */
  public byte[] structHash() {
    List<byte[]> hashes = new ArrayList<>(commands.size());
    for (VariableCommand command : commands) {
      hashes.add(command.structHash());
    }
    return Eip712.Struct.ofTypeHash(TYPE_HASH)
        .word(Eip712.arrayHash(hashes))
        .uint256(nonce)
        .uint256(deadline)
        .hash();
  }

  /** The digest the operator signs for {@code domain}. */
  public byte[] digest(Eip712.Domain domain) {
    return Eip712.digest(domain, structHash());
  }
}
