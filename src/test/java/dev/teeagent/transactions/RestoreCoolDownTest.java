package dev.teeagent.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.Uint256;
import dev.teeagent.testing.MutableClock;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rule after a restore, on the policy with a clock the test moves: open and API-signer signing
 * paused for the longest authorization lifetime, the operator admitted only with a deadline after
 * the pause, the budget counted as spent for one window.
 */
class RestoreCoolDownTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SigningKey OPERATOR = SigningKey.generate(RANDOM);
  private static final SigningKey API_SIGNER = SigningKey.generate(RANDOM);
  private static final Address AGENT = SigningKey.generate(RANDOM).address();
  private static final Eip712.Domain DOMAIN = new Eip712.Domain("t", "1", AGENT);
  private static final String RPC = "https://rpc.example.org";
  private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_800_000_000L));
  private final Map<String, String> variables =
      new HashMap<>(
          Map.of(
              "tx_open", "true",
              "tx_max_value_wei", "1000",
              "tx_budget_wei", "1000000000",
              "tx_allowed_rpc_urls", RPC,
              "tx_api_signers", API_SIGNER.address().checksummed()));
  private final TransactionPolicy policy =
      TransactionPolicyTest.policy(variables, OPERATOR.address(), DOMAIN, clock);

  private SignTransactionRequest request(SigningKey signer, long deadline) {
    SignRequest signed =
        new SignRequest(
            AGENT,
            BigInteger.ONE,
            "0x",
            BigInteger.ONE,
            BigInteger.TEN.pow(18),
            true,
            BigInteger.ZERO,
            BigInteger.valueOf(deadline));
    Authorization authorization =
        signer == null
            ? null
            : new Authorization(
                Uint256.of(0),
                Uint256.of(deadline),
                new Uint256(BigInteger.TEN.pow(18)),
                signer.signDigest(signed.digest(DOMAIN)).toHex());
    return new SignTransactionRequest(
        new TransactionFields(
            AGENT.checksummed(), Uint256.of(1), null, null, null, null, null, null),
        RPC,
        Uint256.of(1),
        true,
        authorization,
        null);
  }

  private long inSeconds(Duration from) {
    return clock.instant().plus(from).getEpochSecond();
  }

  private void restore() {
    policy.ledger().restore(List.of(), policy.coolDown().restored());
  }

  private static AgentException refusal(Runnable action) {
    try {
      action.run();
    } catch (AgentException e) {
      return e;
    }
    throw new AssertionError("not refused");
  }

  @Test
  void anAuthorizationWhoseDeadlineIsMoreThanItsLifetimeAheadIsRefused() {
    long tooFar = inSeconds(RestoreCoolDown.AUTHORIZATION_LIFETIME) + 1;

    assertThatThrownBy(() -> policy.admit(request(API_SIGNER, tooFar)))
        .isInstanceOfSatisfying(
            AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEADLINE_TOO_FAR));
    assertThat(policy.admit(request(API_SIGNER, tooFar - 1)).mode())
        .isEqualTo(TransactionPolicy.Mode.API_SIGNER);
  }

  @Test
  void afterARestoreOpenAndApiSignerSigningArePausedForTheLifetimeWithRetryAfter() {
    variables.put("tx_budget_window", "10m");
    restore();
    clock.advance(Duration.ofMinutes(20));

    AgentException open = refusal(() -> policy.admit(request(null, 0)));
    AgentException signer =
        refusal(() -> policy.admit(request(API_SIGNER, inSeconds(Duration.ofMinutes(5)))));

    for (AgentException e : List.of(open, signer)) {
      assertThat(e.code()).isEqualTo(ErrorCode.COOLING_DOWN);
      assertThat(e.code().status()).isEqualTo(503);
      assertThat(e.details()).containsEntry(AgentException.RETRY_AFTER_SECONDS, 40L * 60 + 1);
      assertThat(e.clientMessage()).contains("restored from a sealed snapshot");
    }
    clock.advance(Duration.ofMinutes(40));
    assertThat(policy.admit(request(null, 0)).mode()).isEqualTo(TransactionPolicy.Mode.OPEN);
    assertThat(policy.admit(request(API_SIGNER, inSeconds(Duration.ofMinutes(5)))).mode())
        .isEqualTo(TransactionPolicy.Mode.API_SIGNER);
  }

  @Test
  void duringTheCoolDownTheOperatorIsAdmittedOnlyWithADeadlineAfterIt() {
    variables.remove("tx_budget_wei"); // a budget binds the operator too: counted as spent now
    restore();
    long end = policy.coolDown().endsAt().orElseThrow().getEpochSecond();
    clock.advance(Duration.ofSeconds(30));

    AgentException old = refusal(() -> policy.admit(request(OPERATOR, end)));
    assertThat(old.code()).isEqualTo(ErrorCode.COOLING_DOWN);
    assertThat(old.clientMessage()).contains("deadline after " + end);
    assertThat(policy.admit(request(OPERATOR, end + 1)).mode())
        .isEqualTo(TransactionPolicy.Mode.OPERATOR);
  }

  @Test
  void afterARestoreTheBudgetCountsAsSpentForOneWindowThenIsWhole() {
    variables.put("tx_budget_window", "2h");
    restore();
    clock.advance(RestoreCoolDown.AUTHORIZATION_LIFETIME);

    AgentException spent = refusal(() -> policy.admit(request(null, 0)));
    assertThat(spent.code()).isEqualTo(ErrorCode.COOLING_DOWN);
    assertThat(spent.clientMessage()).contains("tx_budget_wei counts as fully spent");
    assertThat(spent.details()).containsEntry(AgentException.RETRY_AFTER_SECONDS, 3601L);
    assertThat(policy.budgetCountedSpentUntil()).isPresent();
    clock.advance(Duration.ofHours(1));
    assertThat(policy.admit(request(null, 0)).mode()).isEqualTo(TransactionPolicy.Mode.OPEN);
    assertThat(policy.budgetCountedSpentUntil()).isEmpty();
  }

  @Test
  void withoutARestoreNothingIsPaused() {
    assertThat(policy.coolDown().endsAt()).isEmpty();
    assertThat(policy.admit(request(null, 0)).mode()).isEqualTo(TransactionPolicy.Mode.OPEN);
  }
}
