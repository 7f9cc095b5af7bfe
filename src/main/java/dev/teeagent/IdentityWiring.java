package dev.teeagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.crypto.NativeSecp256k1;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.http.ResponseSigner;
import dev.teeagent.identity.IdentitySettings;
import dev.teeagent.identity.SealedBoot;
import dev.teeagent.identity.StateDocument;
import dev.teeagent.nsm.Nsm;
import dev.teeagent.tls.TlsIdentity;
import dev.teeagent.variables.AgentState;
import dev.teeagent.verifier.AttestedCustody;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Wires the agent's identity: its key (from, or first sealed through, KMS with {@code --state-dir};
 * new at every start otherwise) and, with HTTPS on, its TLS key, both from the seeded SecureRandom.
 */
record IdentityWiring(
    SigningKey key, Optional<SealedBoot> sealed, Optional<TlsIdentity> tls, boolean nativeSigning) {

  static IdentityWiring open(
      AgentSettings settings,
      Optional<IdentitySettings> identity,
      CompletableFuture<Nsm> nsm,
      ObjectMapper mapper,
      SecureRandom random,
      Clock clock,
      OpenedParts opened) {
    Optional<NativeSecp256k1> nativeSigner = NativeSecp256k1.load(random);
    Optional<SealedBoot> sealed =
        identity.map(
            id ->
                opened.add(
                    "the sealed identity",
                    SealedBoot.open(
                        id, settings.teeName(), settings.operator(), nsm.join(), random)));
    SigningKey key =
        sealed.isPresent()
            ? sealed.get().key(random, nativeSigner)
            : SigningKey.generate(random, nativeSigner);
    // With --state-dir kept in the sealed state, so that the pin survives restarts.
    Optional<TlsIdentity> tls =
        settings.listeners().httpsPort().isEmpty()
            ? Optional.empty()
            : Optional.of(
                sealed.isPresent()
                    ? sealed.get().tls(settings.teeName(), mapper, random, clock)
                    : TlsIdentity.generate(settings.teeName(), random, clock));
    return new IdentityWiring(key, sealed, tls, nativeSigner.isPresent());
  }

  /** The custody statement attested in user_data, with {@code --state-dir}. */
  Optional<AttestedCustody> custody() {
    return sealed.map(SealedBoot::attestedCustody);
  }

  /** With {@code --state-dir}: restores the sealed state into {@code parts} and keeps it sealed. */
  void keep(StateDocument.Parts parts, ObjectMapper mapper, SecureRandom random) {
    sealed.ifPresent(boot -> boot.attach(parts, mapper, random));
  }

  /**
   * The envelope's {@code state} of every signed answer (DESIGN §3): with {@code --state-dir} the
   * last stored snapshot's counter, so that a host handing back an older one shows in every answer;
   * without, the changes committed since the start.
   */
  Supplier<ResponseSigner.SignedState> signedState(AgentState state) {
    LongSupplier counter = sealed.isPresent() ? sealed.get()::counter : state::commits;
    return () -> {
      AgentState.Snapshot now = state.snapshot();
      return new ResponseSigner.SignedState(
          counter.getAsLong(), now.auditLength(), now.auditHead());
    };
  }
}
