package dev.teeagent.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.teeagent.attestation.AttestationService;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.BuildInfo;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.identity.SealedBoot;
import dev.teeagent.transactions.TransactionOrchestrator;
import dev.teeagent.variables.AgentState;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code GET /config}: who this agent is and how to talk to it (DESIGN §4). */
public final class ConfigRoute implements ApiRoute {
  private final AgentSettings settings;
  private final SigningKey agentKey;
  private final BuildInfo build;
  private final Instant startedAt;
  private final AgentState state;
  private final AttestationService attestation;
  private final TransactionOrchestrator transactions;
  private final Optional<Supplier<SealedBoot.View>> identity;

  public ConfigRoute(
      AgentSettings settings,
      SigningKey agentKey,
      BuildInfo build,
      Instant startedAt,
      AgentState state,
      AttestationService attestation,
      TransactionOrchestrator transactions,
      Optional<Supplier<SealedBoot.View>> identity) {
    this.settings = settings;
    this.agentKey = agentKey;
    this.build = build;
    this.startedAt = startedAt;
    this.state = state;
    this.attestation = attestation;
    this.transactions = transactions;
    this.identity = identity;
  }

  /** The EIP-712 domain every typed message to this agent is signed under. */
  public record Eip712Domain(
      String name, String version, @JsonProperty("verifyingContract") String verifyingContract) {}

  public record ConfigView(
      String version,
      String operator,
      String address,
      String publicKey,
      String attestationMode,
      Eip712Domain eip712Domain,
      BigInteger operatorNonce,
      Map<String, BigInteger> signerNonces,
      BigInteger txSpentWei,
      String stateHash,
      long startedAt,
      BuildInfo build,
      AttestationView codeAttestation,
      String tlsSpkiSha256,
      @JsonInclude(JsonInclude.Include.NON_NULL) SealedBoot.View identity) {}

  @Override
  public HandlerType method() {
    return HandlerType.GET;
  }

  @Override
  public String path() {
    return "/config";
  }

  @Override
  public Reply handle(Context ctx) {
    String address = agentKey.address().checksummed();
    AgentState.Snapshot now = state.snapshot();
    return Reply.ok(
        new ConfigView(
            build.version(),
            settings.operator().checksummed(),
            address,
            agentKey.publicKeyHex(),
            attestation.mode().label(),
            new Eip712Domain(settings.teeName(), Eip712.Domain.VERSION, address),
            now.operatorNonce(),
            transactions.signerNonces(),
            transactions.spentWei(),
            now.stateHash(),
            startedAt.toEpochMilli(),
            build,
            attestation
                .codeAttestation()
                .map(code -> AttestationView.of(code, attestation.mode()))
                .orElse(null),
            attestation.tlsSpkiSha256().orElse(null),
            identity.map(Supplier::get).orElse(null)));
  }
}
