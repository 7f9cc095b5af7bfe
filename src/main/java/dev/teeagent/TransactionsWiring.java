package dev.teeagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.identity.StateDocument;
import dev.teeagent.transactions.NonceTracker;
import dev.teeagent.transactions.RpcConnector;
import dev.teeagent.transactions.SignerNonces;
import dev.teeagent.transactions.TransactionOrchestrator;
import dev.teeagent.transactions.TransactionPolicy;
import dev.teeagent.variables.AgentState;
import java.time.Clock;

/**
 * Wires transactions: the policy over the variables, the nonces (the signers' and the chain's) and
 * the signer, whose audit entries go into the agent's state.
 */
record TransactionsWiring(
    TransactionOrchestrator signer,
    TransactionPolicy policy,
    SignerNonces signerNonces,
    NonceTracker chainNonces) {
  static TransactionsWiring wire(
      AgentSettings settings,
      SigningKey agentKey,
      VariablesWiring variables,
      RpcConnector rpc,
      ObjectMapper mapper,
      Clock clock) {
    AgentState state = variables.state();
    SignerNonces signerNonces = new SignerNonces();
    TransactionPolicy policy =
        new TransactionPolicy(
            state,
            settings.operator(),
            variables.domain(),
            state::operatorNonce,
            signerNonces,
            clock);
    NonceTracker chainNonces = new NonceTracker();
    TransactionOrchestrator signer =
        new TransactionOrchestrator(
            agentKey,
            policy,
            chainNonces,
            rpc,
            state::withOperatorNonce,
            signerNonces,
            entry -> state.appendTransaction(mapper.valueToTree(entry)).index(),
            state::exclusively);
    return new TransactionsWiring(signer, policy, signerNonces, chainNonces);
  }

  /** What the sealed state keeps across restarts. */
  StateDocument.Parts stateParts(SigningKey agentKey, VariablesWiring variables) {
    return new StateDocument.Parts(agentKey, variables.state(), signerNonces, chainNonces, policy);
  }
}
