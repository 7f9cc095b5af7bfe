package dev.teeagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.attestation.AttestationService;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.AttestationSettings;
import dev.teeagent.config.ConfigException;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.identity.IdentitySettings;
import dev.teeagent.nsm.AttestationMode;
import dev.teeagent.nsm.NitroNsm;
import dev.teeagent.nsm.Nsm;
import dev.teeagent.nsm.NsmException;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.tls.TlsIdentity;
import dev.teeagent.variables.AgentState;
import dev.teeagent.verifier.AttestedCustody;
import dev.teeagent.verifier.TrustedRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Wires attestation: opens the NSM, seeds the SecureRandom from it, takes the first document. */
final class AttestationWiring {
  private AttestationWiring() {}

  /**
   * The NSM {@code mode} asks for. Generating the simulated CA chain and measuring the jar take a
   * good part of the start and need nothing else: done on another core while the rest is built.
   */
  static CompletableFuture<Nsm> open(
      AttestationMode mode, Optional<IdentitySettings> identity, Clock clock, SecureRandom random) {
    return switch (mode) {
      case NITRO -> CompletableFuture.completedFuture(openNitro());
      case SIMULATED ->
          CompletableFuture.supplyAsync(
              () ->
                  identity
                      .map(id -> id.keptSimulatedNsm(clock, random))
                      .orElseGet(() -> SimulatedNsm.start(clock, random)));
    };
  }

  private static Nsm openNitro() {
    try {
      return NitroNsm.open(Nsm.DEVICE);
    } catch (NsmException.DeviceFailure e) {
      throw new ConfigException("--attestation nitro: cannot use the NSM: " + e.getMessage());
    }
  }

  /** The enclave kernel lacks hardware entropy at boot: no key is drawn before this. */
  static void seedFromNitro(Nsm nitro, SecureRandom random) {
    try {
      random.setSeed(nitro.random());
    } catch (NsmException e) {
      throw new ConfigException("--attestation nitro: the NSM gave no entropy: " + e.getMessage());
    }
  }

  /**
   * The attestation service, after a first document: it checks the clock and fills {@code
   * code_attestation}, and an NSM that cannot attest stops the start.
   */
  static AttestationService attest(
      AgentSettings settings,
      AttestationSettings attestation,
      Nsm nsm,
      SigningKey agentKey,
      AgentState state,
      Optional<TlsIdentity> tls,
      ObjectMapper mapper,
      Clock clock,
      Optional<AttestedCustody> custody) {
    AttestationService service =
        new AttestationService(
            nsm,
            settings.teeName(),
            settings.operator(),
            agentKey,
            state::stateHash,
            mapper,
            new AttestationService.Limits(attestation.perSecond(), attestation.maxClockSkew()),
            clock,
            tls.map(TlsIdentity::spkiSha256),
            custody);
    try {
      service.refresh();
    } catch (NsmException e) {
      throw new ConfigException(
          "--attestation " + nsm.mode().label() + ": the NSM cannot attest: " + e.getMessage());
    }
    attestation.simulatedRootOut().ifPresent(file -> writeSimulatedRoot(nsm, file));
    return service;
  }

  /** Writes the simulated root (PEM) for local verifiers: {@code verify --root FILE}. */
  private static void writeSimulatedRoot(Nsm nsm, Path file) {
    if (!(nsm instanceof SimulatedNsm simulated)) {
      throw new ConfigException("--simulated-root-out: only in simulated attestation mode");
    }
    try {
      Path absolute = file.toAbsolutePath();
      Path temporary = Files.createTempFile(absolute.getParent(), ".simulated-root", ".pem");
      Files.writeString(
          temporary, TrustedRoot.toPem(simulated.rootCertificate()), StandardCharsets.US_ASCII);
      Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ConfigException(
          "--simulated-root-out: cannot write "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "): give a file in a folder the agent may write to");
    }
  }
}
