package dev.teeagent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.error.AgentException;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.tls.TlsIdentity;
import dev.teeagent.transactions.BudgetLedger;
import dev.teeagent.transactions.NonceTracker;
import dev.teeagent.transactions.RestoreCoolDown;
import dev.teeagent.transactions.SignerNonces;
import dev.teeagent.transactions.TransactionPolicy;
import dev.teeagent.variables.AgentState;
import dev.teeagent.variables.HiddenValues;
import dev.teeagent.variables.VariableCommand;
import dev.teeagent.variables.VariableRules;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every piece that keeps old commands out survives a capture and a restore into a new boot. */
class StateDocumentTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Address SIGNER = Address.parse("0x1111111111111111111111111111111111111111");
  private final ObjectMapper mapper = JsonMappers.strict();
  private final SigningKey agentKey = SigningKey.generate(RANDOM);

  private StateDocument.Parts parts() {
    AgentState state =
        new AgentState(new VariableRules(new HiddenValues(agentKey)), Clock.systemUTC(), mapper);
    SignerNonces signers = new SignerNonces();
    TransactionPolicy policy =
        new TransactionPolicy(
            state,
            SIGNER,
            new Eip712.Domain("t", "1", agentKey.address()),
            state::operatorNonce,
            signers,
            Clock.systemUTC());
    return new StateDocument.Parts(agentKey, state, signers, new NonceTracker(), policy);
  }

  private StateDocument.Parts used() {
    StateDocument.Parts parts = parts();
    String sealed =
        HiddenValues.seal(agentKey.publicKey(), agentKey.address(), "llm_api_key", "sk-1", RANDOM);
    parts
        .state()
        .applyBatch(
            BigInteger.ZERO,
            List.of(
                VariableCommand.set("llm_api_key", sealed, true, false),
                VariableCommand.set("greeting", "hello", false, true)),
            mapper.createObjectNode().put("batch", 0));
    parts.state().appendTransaction(mapper.createObjectNode().put("hash", "0xabc"));
    parts.signerNonces().withNonce(SIGNER, BigInteger.ZERO, () -> "signed");
    parts.chainNonces().prepare(1, () -> BigInteger.ZERO);
    NonceTracker.Lease first = parts.chainNonces().reserve(1);
    NonceTracker.Lease second = parts.chainNonces().reserve(1);
    parts.chainNonces().used(first);
    parts.chainNonces().unsettled(second);
    parts.chainNonces().reserve(1); // in flight when captured: counted as handed out
    parts
        .policy()
        .ledger()
        .spend(Optional.empty(), BudgetLedger.DEFAULT_WINDOW, BigInteger.valueOf(12345));
    return parts;
  }

  @Test
  void aRestoredBootHasTheVariablesNoncesBudgetAndAuditOfTheCapturedOne() throws Exception {
    StateDocument.Parts before = used();
    byte[] captured = new StateDocument(before, mapper, RANDOM).capture();

    StateDocument.Parts after = parts();
    new StateDocument(after, mapper, RANDOM).restore(captured);

    assertThat(after.state().stateHash()).isEqualTo(before.state().stateHash());
    assertThat(after.state().operatorNonce()).isOne();
    assertThat(after.state().value("llm_api_key")).contains("sk-1");
    assertThat(after.state().snapshot().views()).isEqualTo(before.state().snapshot().views());
    assertThat(after.state().audit(0, 10).entries())
        .isEqualTo(before.state().audit(0, 10).entries());
    assertThat(after.signerNonces().next(SIGNER)).isOne();
    assertThat(after.chainNonces().image()).isEqualTo(before.chainNonces().image());
    assertThat(after.chainNonces().image().get(1L).next()).isEqualTo(3);
    assertThat(after.policy().spent()).isEqualTo(12345);
    assertThat(after.policy().ledger().image()).isEqualTo(before.policy().ledger().image());
  }

  @Test
  void aRestoreStartsTheCoolDownAndCountsTheBudgetAsSpentForItsWindow() throws Exception {
    byte[] captured = new StateDocument(used(), mapper, RANDOM).capture();
    StateDocument.Parts fresh = parts();
    assertThat(fresh.policy().coolDown().endsAt()).isEmpty();

    new StateDocument(fresh, mapper, RANDOM).restore(captured);

    assertThat(fresh.policy().coolDown().restoredAt()).isPresent();
    assertThat(fresh.policy().coolDown().endsAt())
        .contains(
            fresh
                .policy()
                .coolDown()
                .restoredAt()
                .get()
                .plus(RestoreCoolDown.AUTHORIZATION_LIFETIME));
    assertThat(fresh.policy().budgetCountedSpentUntil())
        .contains(fresh.policy().coolDown().restoredAt().get().plus(BudgetLedger.DEFAULT_WINDOW));
  }

  @Test
  void anOldOperatorBatchOrAuthorizationIsRefusedAfterTheRestore() throws Exception {
    StateDocument.Parts after = parts();
    new StateDocument(after, mapper, RANDOM)
        .restore(new StateDocument(used(), mapper, RANDOM).capture());

    assertThatThrownBy(
            () -> after.state().applyBatch(BigInteger.ZERO, List.of(), mapper.createObjectNode()))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("not the next operator nonce");
    assertThatThrownBy(() -> after.signerNonces().withNonce(SIGNER, BigInteger.ZERO, () -> "x"))
        .isInstanceOf(AgentException.class);
    assertThat(after.chainNonces().reserve(1).nonce()).isEqualTo(3);
  }

  @Test
  void theHiddenValueIsNeverWrittenInClear() {
    byte[] captured = new StateDocument(used(), mapper, RANDOM).capture();

    assertThat(new String(captured, StandardCharsets.UTF_8))
        .doesNotContain("sk-1")
        .contains("\"greeting\"");
  }

  @Test
  void anAlteredAuditLogIsRefusedAndNothingIsRestored() {
    String captured =
        new String(new StateDocument(used(), mapper, RANDOM).capture(), StandardCharsets.UTF_8);
    byte[] altered =
        captured.replace("\"batch\":0", "\"batch\":1").getBytes(StandardCharsets.UTF_8);
    StateDocument.Parts after = parts();
    String emptyHash = after.state().stateHash();

    assertThatThrownBy(() -> new StateDocument(after, mapper, RANDOM).restore(altered))
        .isInstanceOf(StateDocument.StateRefused.class);
    assertThat(after.state().stateHash()).isEqualTo(emptyHash);
    assertThat(after.signerNonces().image()).isEqualTo(Map.of());
  }

  @Test
  void theTlsKeyKeptInADocumentComesBackWithTheSamePinAndADocumentWithoutOneHasNone()
      throws Exception {
    TlsIdentity tls = TlsIdentity.generate("vault", RANDOM, Clock.systemUTC());
    byte[] captured = new StateDocument(used(), mapper, RANDOM, Optional.of(tls)).capture();

    TlsIdentity restored = StateDocument.storedTls(mapper, captured).orElseThrow();
    assertThat(restored.spkiSha256()).isEqualTo(tls.spkiSha256());
    assertThat(restored.certificate()).isEqualTo(tls.certificate());
    assertThat(restored.toString()).contains("REDACTED").doesNotContain("private_key");
    new StateDocument(parts(), mapper, RANDOM).restore(captured);
    assertThat(StateDocument.storedTls(mapper, new StateDocument(used(), mapper, RANDOM).capture()))
        .isEmpty();
  }

  @Test
  void aTlsKeyThatIsNotTheCertificatesIsRefused() throws Exception {
    TlsIdentity tls = TlsIdentity.generate("vault", RANDOM, Clock.systemUTC());
    TlsIdentity other = TlsIdentity.generate("vault", RANDOM, Clock.systemUTC());
    ObjectNode root =
        (ObjectNode)
            mapper.readTree(new StateDocument(used(), mapper, RANDOM, Optional.of(tls)).capture());
    ((ObjectNode) root.get("tls"))
        .put("certificate", Base64.getEncoder().encodeToString(other.certificateDer()));

    assertThatThrownBy(() -> StateDocument.storedTls(mapper, mapper.writeValueAsBytes(root)))
        .isInstanceOf(StateDocument.StateRefused.class)
        .hasMessage("the sealed state's TLS key is malformed");
  }
}
