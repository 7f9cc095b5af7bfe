package dev.teeagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.attestation.AttestationMode;
import dev.teeagent.attestation.AttestationService;
import dev.teeagent.attestation.NitroNsm;
import dev.teeagent.attestation.Nsm;
import dev.teeagent.attestation.NsmException;
import dev.teeagent.attestation.SimulatedNsm;
import dev.teeagent.attestation.TrustedRoot;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.AttestationSettings;
import dev.teeagent.config.BuildInfo;
import dev.teeagent.config.ConfigException;
import dev.teeagent.config.ListenerSettings;
import dev.teeagent.crypto.Eip712;
import dev.teeagent.crypto.NativeSecp256k1;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.http.AgentHttpServer;
import dev.teeagent.http.ApiRoute;
import dev.teeagent.http.AttestationRoute;
import dev.teeagent.http.AuditRoute;
import dev.teeagent.http.ConfigRoute;
import dev.teeagent.http.GuardedRoute;
import dev.teeagent.http.HttpsConnector;
import dev.teeagent.http.JsonBodies;
import dev.teeagent.http.PostVariablesRoute;
import dev.teeagent.http.PromptRoute;
import dev.teeagent.http.ResponseSigner;
import dev.teeagent.http.SignTransactionRoute;
import dev.teeagent.http.VariableRoute;
import dev.teeagent.http.VariablesRoute;
import dev.teeagent.identity.IdentitySettings;
import dev.teeagent.identity.SealedBoot;
import dev.teeagent.identity.StateDocument;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.prompt.ChatCompletionsClient;
import dev.teeagent.prompt.PromptService;
import dev.teeagent.tls.TlsIdentity;
import dev.teeagent.transactions.NonceTracker;
import dev.teeagent.transactions.RpcConnector;
import dev.teeagent.transactions.SignerNonces;
import dev.teeagent.transactions.TransactionPolicy;
import dev.teeagent.transactions.TransactionSigner;
import dev.teeagent.variables.AgentState;
import dev.teeagent.variables.HiddenValues;
import dev.teeagent.variables.VariableRules;
import dev.teeagent.variables.VariableService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates and wires every object of a running agent; nothing else constructs services. */
public final class App implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(App.class);

  /** How often the code attestation is renewed and the clock checked (DESIGN: hourly). */
  private static final Duration REFRESH_INTERVAL = Duration.ofHours(1);

  private final SigningKey agentKey;
  private final AgentHttpServer server;
  private final int port;
  private final OptionalInt httpsPort;
  private final Nsm nsm;
  private final ScheduledExecutorService refresher;
  private final ChatCompletionsClient llm;
  private final Optional<SealedBoot> sealed;

  private App(
      SigningKey agentKey,
      AgentHttpServer server,
      int port,
      OptionalInt httpsPort,
      Nsm nsm,
      ScheduledExecutorService refresher,
      ChatCompletionsClient llm,
      Optional<SealedBoot> sealed) {
    this.agentKey = agentKey;
    this.server = server;
    this.port = port;
    this.httpsPort = httpsPort;
    this.nsm = nsm;
    this.refresher = refresher;
    this.llm = llm;
    this.sealed = sealed;
  }

  /** An agent with simulated attestation and default limits. */
  public static App start(AgentSettings settings, Clock clock, SecureRandom random) {
    return start(settings, AttestationSettings.simulated(), clock, random);
  }

  /** An agent whose NSM follows {@code attestation.mode()}. */
  public static App start(
      AgentSettings settings, AttestationSettings attestation, Clock clock, SecureRandom random) {
    return start(settings, attestation, Optional.empty(), clock, random);
  }

  /** As above, with a sealed identity kept in a state folder when {@code identity} is given. */
  public static App start(
      AgentSettings settings,
      AttestationSettings attestation,
      Optional<IdentitySettings> identity,
      Clock clock,
      SecureRandom random) {
    CompletableFuture<Nsm> nsm =
        switch (attestation.mode()) {
          case NITRO -> CompletableFuture.completedFuture(openNitro());
          // Generating the simulated CA chain and measuring the jar take a good part of the start
          // and need nothing else here: done on another core while the rest is built.
          case SIMULATED ->
              CompletableFuture.supplyAsync(
                  () ->
                      identity
                          .map(id -> id.keptSimulatedNsm(clock, random))
                          .orElseGet(() -> SimulatedNsm.start(clock, random)));
        };
    return start(settings, attestation, attestation.mode(), nsm, identity, clock, random);
  }

  /**
   * An agent on the given NSM (tests pass a simulated one on its own clock). In nitro mode the
   * SecureRandom is first seeded from the NSM, whose hardware entropy the enclave kernel lacks at
   * boot. A first document is taken before listening: it checks the clock and fills {@code
   * code_attestation}, and an NSM that cannot attest stops the start.
   */
  public static App start(
      AgentSettings settings,
      AttestationSettings attestationSettings,
      Nsm nsm,
      Clock clock,
      SecureRandom random) {
    return start(
        settings,
        attestationSettings,
        nsm.mode(),
        CompletableFuture.completedFuture(nsm),
        Optional.empty(),
        clock,
        random);
  }

  /** The NSM made on another core; a setting it refused stays the one-line refusal it was. */
  private static Nsm joined(CompletableFuture<Nsm> nsm) {
    try {
      return nsm.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof ConfigException refused) {
        throw refused;
      }
      throw e;
    }
  }

  private static App start(
      AgentSettings settings,
      AttestationSettings attestationSettings,
      AttestationMode mode,
      CompletableFuture<Nsm> nsmReady,
      Optional<IdentitySettings> identity,
      Clock clock,
      SecureRandom random) {
    // No key is drawn before a nitro NSM has seeded the SecureRandom; a simulated NSM may still be
    // starting meanwhile.
    if (mode == AttestationMode.NITRO) {
      Nsm nitro = nsmReady.join();
      try {
        random.setSeed(nitro.random());
      } catch (NsmException e) {
        nitro.close();
        throw new ConfigException(
            "--attestation nitro: the NSM gave no entropy: " + e.getMessage());
      }
    }
    ObjectMapper mapper = JsonMappers.strict();
    BuildInfo buildInfo = BuildInfo.current();
    // The outbound HTTP clients load the TLS stack and the CA certificates, a good part of the
    // start that depends on nothing else here: built on another core meanwhile.
    CompletableFuture<RpcConnector> rpc = CompletableFuture.supplyAsync(RpcConnector::withDefaults);
    CompletableFuture<ChatCompletionsClient> llmClient =
        CompletableFuture.supplyAsync(
            () ->
                ChatCompletionsClient.create(
                    settings.prompt(), mapper, buildInfo.version(), clock));
    Optional<NativeSecp256k1> nativeSigner = NativeSecp256k1.load(random);
    // With --state-dir the key comes from (or is first sealed through) KMS before anything uses it.
    Optional<SealedBoot> sealed =
        identity.map(
            id ->
                SealedBoot.open(
                    id, settings.teeName(), settings.operator(), joined(nsmReady), random));
    SigningKey agentKey =
        sealed.isPresent()
            ? sealed.get().key(random, nativeSigner)
            : SigningKey.generate(random, nativeSigner);
    BuildInfo build =
        buildInfo.withSigningBackend(nativeSigner.isPresent() ? "libsecp256k1" : "java");
    Instant startedAt = clock.instant();
    ResponseSigner signer = new ResponseSigner(settings.teeName(), agentKey, clock);
    AgentState state = new AgentState(new VariableRules(new HiddenValues(agentKey)), clock, mapper);
    Eip712.Domain domain = Eip712.Domain.of(settings.teeName(), agentKey.address());
    VariableService variables =
        new VariableService(domain, settings.operator(), state, clock, mapper);
    SignerNonces signerNonces = new SignerNonces();
    TransactionPolicy policy =
        new TransactionPolicy(
            state, settings.operator(), domain, state::operatorNonce, signerNonces, clock);
    NonceTracker chainNonces = new NonceTracker();
    TransactionSigner transactions =
        new TransactionSigner(
            agentKey,
            policy,
            chainNonces,
            rpc.join(),
            state::withOperatorNonce,
            signerNonces,
            entry -> state.appendTransaction(mapper.valueToTree(entry)).index(),
            state::exclusively);
    ListenerSettings listeners = settings.listeners();
    // Made from the same seeded SecureRandom; with --state-dir kept in the sealed state, so that
    // the pin survives restarts, and in memory only otherwise.
    Optional<TlsIdentity> tls =
        listeners.httpsPort().isEmpty()
            ? Optional.empty()
            : Optional.of(
                sealed.isPresent()
                    ? sealed.get().tls(settings.teeName(), mapper, random, clock)
                    : TlsIdentity.generate(settings.teeName(), random, clock));
    sealed.ifPresent(
        boot ->
            boot.attach(
                new StateDocument.Parts(agentKey, state, signerNonces, chainNonces, policy),
                mapper,
                random));
    Nsm nsm = joined(nsmReady);
    AttestationService attestation =
        new AttestationService(
            nsm,
            settings.teeName(),
            settings.operator(),
            agentKey,
            state::stateHash,
            mapper,
            new AttestationService.Limits(
                attestationSettings.perSecond(), attestationSettings.maxClockSkew()),
            clock,
            tls.map(TlsIdentity::spkiSha256));
    try {
      attestation.refresh();
    } catch (NsmException e) {
      nsm.close();
      throw new ConfigException(
          "--attestation " + nsm.mode().label() + ": the NSM cannot attest: " + e.getMessage());
    }
    attestationSettings.simulatedRootOut().ifPresent(file -> writeSimulatedRoot(nsm, file));
    JsonBodies bodies = new JsonBodies();
    ChatCompletionsClient llm = llmClient.join();
    PromptService prompts =
        new PromptService(state, llm, mapper, clock, settings.prompt().maxConcurrent());
    List<ApiRoute> routes =
        List.of(
            new ConfigRoute(
                settings,
                agentKey,
                build,
                startedAt,
                state,
                attestation,
                transactions,
                sealed.map(boot -> boot::view)),
            new AttestationRoute(attestation),
            new VariablesRoute(state),
            new VariableRoute(state),
            new PostVariablesRoute(bodies, variables),
            new AuditRoute(state),
            new PromptRoute(prompts, bodies),
            new SignTransactionRoute(bodies, transactions));
    Optional<HttpsConnector> https =
        tls.map(
            tlsIdentity ->
                new HttpsConnector(
                    tlsIdentity,
                    settings.host(),
                    listeners.plainHttp() ? OptionalInt.of(settings.port()) : OptionalInt.empty(),
                    listeners.httpsPort().getAsInt()));
    AgentHttpServer server =
        new AgentHttpServer(
            GuardedRoute.all(routes, attestation::requireClockInSync), signer, mapper, https);
    int port = server.start(settings.host(), settings.port());
    OptionalInt httpsPort =
        https.map(connector -> OptionalInt.of(connector.localPort())).orElse(OptionalInt.empty());
    ScheduledExecutorService refresher =
        Executors.newSingleThreadScheduledExecutor(
            task -> Thread.ofPlatform().daemon().name("attestation-refresh").unstarted(task));
    // refreshLoggingFailures catches and logs, so a throw never ends the schedule.
    var _ =
        refresher.scheduleWithFixedDelay(
            attestation::refreshLoggingFailures,
            REFRESH_INTERVAL.toSeconds(),
            REFRESH_INTERVAL.toSeconds(),
            TimeUnit.SECONDS);
    LOG.info(
        "agent {} listening on {}:{}{} as {} (operator {}, attestation {})",
        settings.teeName(),
        settings.host(),
        listeners.plainHttp() ? port : "- (plain HTTP off)",
        tls.map(
                tlsIdentity ->
                    ", HTTPS on port "
                        + httpsPort.getAsInt()
                        + " with tls_spki_sha256 "
                        + tlsIdentity.spkiSha256())
            .orElse(""),
        agentKey.address(),
        settings.operator(),
        nsm.mode().label());
    return new App(agentKey, server, port, httpsPort, nsm, refresher, llm, sealed);
  }

  private static Nsm openNitro() {
    try {
      return NitroNsm.open(Nsm.DEVICE);
    } catch (NsmException.DeviceFailure e) {
      throw new ConfigException("--attestation nitro: cannot use the NSM: " + e.getMessage());
    }
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
      throw new UncheckedIOException("--simulated-root-out: cannot write " + file, e);
    }
  }

  public int port() {
    return port;
  }

  /** The bound HTTPS port; empty when HTTPS is off. */
  public OptionalInt httpsPort() {
    return httpsPort;
  }

  public String address() {
    return agentKey.address().checksummed();
  }

  /** The root of the simulated chain; empty in nitro mode (verifiers trust AWS's root). */
  public Optional<X509Certificate> simulatedRoot() {
    return nsm instanceof SimulatedNsm simulated
        ? Optional.of(simulated.rootCertificate())
        : Optional.empty();
  }

  /**
   * Stops the server (draining requests), then closes the NSM and the LLM client. Each is closed
   * even when one before it fails (a drain that times out with a request still running), and
   * nothing is thrown to the shutdown hook.
   */
  @Override
  public void close() {
    refresher.shutdownNow();
    closeLogging("the HTTP server", server);
    closeLogging("the NSM", nsm);
    closeLogging("the LLM client", llm);
    sealed.ifPresent(boot -> closeLogging("the sealed identity", boot));
  }

  static void closeLogging(String part, AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.warn("stopping {} failed: {}", part, e.toString());
    }
  }
}
