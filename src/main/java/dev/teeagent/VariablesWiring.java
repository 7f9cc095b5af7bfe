package dev.teeagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.variables.AgentState;
import dev.teeagent.variables.HiddenValues;
import dev.teeagent.variables.VariableRules;
import dev.teeagent.variables.VariableService;
import java.time.Clock;

/**
 * Wires the variables: the agent's state (hidden values sealed to its key) and the service that
 * applies the operator's signed batches, under the EIP-712 domain that names this agent.
 */
record VariablesWiring(AgentState state, Eip712.Domain domain, VariableService service) {
  static VariablesWiring wire(
      AgentSettings settings, SigningKey agentKey, ObjectMapper mapper, Clock clock) {
    AgentState state = new AgentState(new VariableRules(new HiddenValues(agentKey)), clock, mapper);
    Eip712.Domain domain = Eip712.Domain.of(settings.teeName(), agentKey.address());
    return new VariablesWiring(
        state, domain, new VariableService(domain, settings.operator(), state, clock, mapper));
  }
}
