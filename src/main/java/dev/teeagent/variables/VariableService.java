package dev.teeagent.variables;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.EthSignature;
import dev.teeagent.crypto.Secp256k1;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts operator batches (DESIGN §5): the EIP-712 signature must recover to the operator under
 * this agent's domain (so a batch for another agent or boot is refused), the deadline must not have
 * passed, then {@link AgentState} checks the nonce and applies the rules atomically.
 */
public final class VariableService {
  private static final Logger LOG = LoggerFactory.getLogger(VariableService.class);

  private final byte[] domainSeparator;
  private final Address operator;
  private final AgentState state;
  private final Clock clock;
  private final ObjectMapper mapper;

  public VariableService(
      Eip712.Domain domain, Address operator, AgentState state, Clock clock, ObjectMapper mapper) {
    this.domainSeparator = domain.separator();
    this.operator = operator;
    this.state = state;
    this.clock = clock;
    this.mapper = mapper;
  }

  public AgentState.Applied submit(SignedCommandBatch request) {
    CommandBatch batch = request.batch();
    requireOperator(Eip712.digest(domainSeparator, batch.structHash()), request.signature());
    BigInteger now = BigInteger.valueOf(clock.millis() / 1000);
    if (now.compareTo(batch.deadline()) > 0) {
      throw new AgentException(
          ErrorCode.DEADLINE_EXPIRED,
          "the batch's deadline " + batch.deadline() + " has passed (now " + now + ")");
    }
    AgentState.Applied applied =
        state.applyBatch(batch.nonce(), batch.commands(), auditPayload(request));
    LOG.info(
        "operator batch {} accepted: {} command(s), audit entry {}",
        batch.nonce(),
        batch.commands().size(),
        applied.entry().index());
    return applied;
  }

  /** Refuses a malformed signature (401) and one that does not recover to the operator (403). */
  void requireOperator(byte[] digest, String signatureHex) {
    EthSignature signature;
    try {
      signature = EthSignature.parse(signatureHex);
    } catch (IllegalArgumentException e) {
      throw new AgentException(
          ErrorCode.BAD_SIGNATURE,
          "signature must be 0x + 65 bytes r‖s‖v with low s (v 27/28 or 0/1)");
    }
    Optional<Address> signer = Secp256k1.recoverAddress(digest, signature);
    if (signer.isEmpty()) {
      throw new AgentException(ErrorCode.BAD_SIGNATURE, "the signature matches no public key");
    }
    if (!signer.get().equals(operator)) {
      throw new AgentException(
          ErrorCode.NOT_OPERATOR,
          "the batch is not signed by the operator under this agent's EIP-712 domain (name ="
              + " tee_name, version \"1\", verifyingContract = this agent's address; see"
              + " /config eip712_domain)");
    }
  }

  /** The batch as signed, with each hidden value replaced by keccak256 of its ciphertext. */
  private ObjectNode auditPayload(SignedCommandBatch request) {
    ObjectNode payload = mapper.createObjectNode();
    ArrayNode commands = payload.putArray("commands");
    for (VariableCommand command : request.commands()) {
      ObjectNode node = commands.addObject();
      node.put("function", command.function());
      node.put("name", command.name());
      node.put(
          "value",
          command.hidden() ? HiddenValues.ciphertextHash(command.value()) : command.value());
      node.put("hidden", command.hidden());
      node.put("immutable", command.immutable());
    }
    payload.put("nonce", request.nonce().decimal());
    payload.put("deadline", request.deadline().decimal());
    payload.put("signature", request.signature());
    return payload;
  }
}
