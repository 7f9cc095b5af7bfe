package dev.teeagent.variables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.audit.AuditEntry;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.error.AgentException;
import dev.teeagent.json.JsonMappers;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator-nonce contract other capabilities rely on, and VariableSource. */
class AgentStateTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final ObjectMapper mapper = JsonMappers.strict();
  private final SigningKey agentKey = SigningKey.generate(RANDOM);
  private final AgentState state =
      new AgentState(new VariableRules(new HiddenValues(agentKey)), Clock.systemUTC(), mapper);

  @Test
  void servesHiddenValuesInPlaintextToTheAgentItselfOnly() {
    String sealed =
        HiddenValues.seal(agentKey.publicKey(), agentKey.address(), "llm_api_key", "sk-1", RANDOM);
    state.applyBatch(
        BigInteger.ZERO,
        List.of(VariableCommand.set("llm_api_key", sealed, true, false)),
        mapper.createObjectNode());

    VariableSource source = state;
    assertThat(source.value("llm_api_key")).contains("sk-1");
    assertThat(source.value("missing")).isEmpty();
    assertThat(state.snapshot().views().getFirst().value()).isNull();
    assertThat(state.snapshot().variables().toString()).doesNotContain("sk-1");
  }

  @Test
  void consumesTheOperatorNonceOnlyWhenTheActionSucceeds() {
    String hashBefore = state.stateHash();
    assertThatThrownBy(
            () ->
                state.withOperatorNonce(
                    BigInteger.ZERO,
                    () -> {
                      throw new AgentException(
                          dev.teeagent.error.ErrorCode.NOT_OPERATOR, "policy says no");
                    }))
        .isInstanceOf(AgentException.class);
    assertThat(state.operatorNonce()).isZero();
    assertThat(state.stateHash()).isEqualTo(hashBefore);

    String result =
        state.withOperatorNonce(
            BigInteger.ZERO,
            () -> {
              state.appendTransaction(mapper.createObjectNode().put("hash", "0xabc"));
              return "signed";
            });

    assertThat(result).isEqualTo("signed");
    assertThat(state.operatorNonce()).isEqualTo(BigInteger.ONE);
    assertThat(state.snapshot().auditLength()).isEqualTo(1);
    assertThat(state.audit(0, 1).entries().getFirst().kind()).isEqualTo("transaction");
    assertThat(state.stateHash()).isNotEqualTo(hashBefore);
    assertThatThrownBy(() -> state.withOperatorNonce(BigInteger.ZERO, () -> "again"))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("not the next operator nonce");
  }

  @Test
  void chainsAuditEntriesFromTheGenesisHash() {
    state.appendTransaction(mapper.createObjectNode().put("n", 1));
    state.applyBatch(BigInteger.ZERO, List.of(), mapper.createObjectNode());
    List<AuditEntry> entries = state.audit(0, 10).entries();
    assertThat(entries.get(0).prev()).isEqualTo("0x" + "00".repeat(32));
    assertThat(entries.get(1).prev()).isEqualTo(entries.get(0).hash());
    assertThat(state.snapshot().auditHead()).isEqualTo(entries.get(1).hash());
  }
}
