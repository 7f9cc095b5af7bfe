package dev.teeagent.transactions;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.Uint256;

/**
 * The {@code authorization} member of a sign request: an EIP-712 {@link SignRequest} signature by
 * the operator or an API signer, with the nonce, deadline (unix seconds) and the fee cap ({@code
 * max_fee_wei}) that were signed. The cap travels with the signature because the signer cannot know
 * the gas and fees the agent will fill in; the agent refuses a transaction whose gas limit × max
 * fee per gas exceeds it.
 */
public record Authorization(Uint256 nonce, Uint256 deadline, Uint256 maxFeeWei, String signature) {
  public Authorization {
    if (nonce == null || deadline == null || maxFeeWei == null || signature == null) {
      throw new AgentException(
          ErrorCode.MISSING_FIELD,
          "authorization needs nonce, deadline, max_fee_wei and signature");
    }
  }
}
