package dev.teeagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.attestation.AttestationService;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.AttestationSettings;
import dev.teeagent.config.BuildInfo;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.http.ApiRoute;
import dev.teeagent.http.AttestationRoute;
import dev.teeagent.http.AuditRoute;
import dev.teeagent.http.ConfigRoute;
import dev.teeagent.http.GuardedRoute;
import dev.teeagent.http.JsonBodies;
import dev.teeagent.http.PostVariablesRoute;
import dev.teeagent.http.PromptRoute;
import dev.teeagent.http.ResponseSigner;
import dev.teeagent.http.SignTransactionRoute;
import dev.teeagent.http.VariableRoute;
import dev.teeagent.http.VariablesRoute;
import dev.teeagent.identity.IdentitySettings;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.nsm.AttestationMode;
import dev.teeagent.nsm.Nsm;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.prompt.ChatCompletionsClient;
import dev.teeagent.transactions.RpcConnector;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates and wires every object of a running agent; nothing else constructs services. */
public final class App implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(App.class);

  /** How often the code attestation is renewed and the clock checked (DESIGN: hourly). */
  private static final Duration REFRESH_INTERVAL = Duration.ofHours(1);

  private final SigningKey agentKey;
  private final int port;
  private final OptionalInt httpsPort;
  private final Nsm nsm;
  private final OpenedParts opened;

  private App(SigningKey agentKey, int port, OptionalInt httpsPort, Nsm nsm, OpenedParts opened) {
    this.agentKey = agentKey;
    this.port = port;
    this.httpsPort = httpsPort;
    this.nsm = nsm;
    this.opened = opened;
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
    OpenedParts opened = new OpenedParts();
    return startOrClose(
        opened,
        () ->
            wire(
                settings,
                attestation,
                attestation.mode(),
                opened.add(
                    "the NSM", AttestationWiring.open(attestation.mode(), identity, clock, random)),
                identity,
                clock,
                random,
                opened));
  }

  /**
   * An agent on the given NSM (tests pass a simulated one on its own clock), which it closes with
   * itself.
   */
  public static App start(
      AgentSettings settings,
      AttestationSettings attestationSettings,
      Nsm nsm,
      Clock clock,
      SecureRandom random) {
    OpenedParts opened = new OpenedParts();
    opened.add("the NSM", nsm);
    return startOrClose(
        opened,
        () ->
            wire(
                settings,
                attestationSettings,
                nsm.mode(),
                CompletableFuture.completedFuture(nsm),
                Optional.empty(),
                clock,
                random,
                opened));
  }

  /** A start that fails half way closes what it opened, last first, before it throws. */
  private static App startOrClose(OpenedParts opened, Supplier<App> start) {
    try {
      return start.get();
    } catch (RuntimeException | Error e) {
      opened.close();
      throw e;
    }
  }

  /**
   * Composes the capabilities. In nitro mode the SecureRandom is first seeded from the NSM, whose
   * hardware entropy the enclave kernel lacks at boot; a simulated NSM may still be starting
   * meanwhile. A first document is taken before listening (see {@link AttestationWiring#attest}).
   */
  private static App wire(
      AgentSettings settings,
      AttestationSettings attestationSettings,
      AttestationMode mode,
      CompletableFuture<Nsm> nsmReady,
      Optional<IdentitySettings> identitySettings,
      Clock clock,
      SecureRandom random,
      OpenedParts opened) {
    if (mode == AttestationMode.NITRO) {
      AttestationWiring.seedFromNitro(nsmReady.join(), random);
    }
    ObjectMapper mapper = JsonMappers.strict();
    BuildInfo buildInfo = BuildInfo.current();
    // Both build their HTTP client (TLS stack, CA certificates) at their first call.
    RpcConnector rpc = opened.add("the chain RPC client", RpcConnector.withDefaults());
    ChatCompletionsClient llm =
        opened.add(
            "the LLM client",
            ChatCompletionsClient.create(settings.prompt(), mapper, buildInfo.version(), clock));
    IdentityWiring identity =
        IdentityWiring.open(settings, identitySettings, nsmReady, mapper, random, clock, opened);
    SigningKey agentKey = identity.key();
    Instant startedAt = clock.instant();
    VariablesWiring variables = VariablesWiring.wire(settings, agentKey, mapper, clock);
    TransactionsWiring transactions =
        TransactionsWiring.wire(settings, agentKey, variables, rpc, mapper, clock);
    identity.keep(transactions.stateParts(agentKey, variables), mapper, random);
    Nsm nsm = nsmReady.join();
    AttestationService attestation =
        AttestationWiring.attest(
            settings,
            attestationSettings,
            nsm,
            agentKey,
            variables.state(),
            identity.tls(),
            mapper,
            clock,
            identity.custody());
    JsonBodies bodies = new JsonBodies();
    List<ApiRoute> routes =
        List.of(
            new ConfigRoute(
                settings,
                agentKey,
                buildInfo.withSigningBackend(identity.nativeSigning() ? "libsecp256k1" : "java"),
                startedAt,
                variables.state(),
                attestation,
                transactions.signer(),
                identity.sealed().map(boot -> boot::view)),
            new AttestationRoute(attestation),
            new VariablesRoute(variables.state()),
            new VariableRoute(variables.state()),
            new PostVariablesRoute(bodies, variables.service()),
            new AuditRoute(variables.state()),
            new PromptRoute(
                PromptWiring.service(settings, variables.state(), llm, mapper, clock), bodies),
            new SignTransactionRoute(bodies, transactions.signer()));
    HttpWiring http =
        HttpWiring.listen(
            settings,
            GuardedRoute.all(routes, attestation::requireClockInSync),
            new ResponseSigner(
                settings.teeName(), agentKey, clock, identity.signedState(variables.state())),
            mapper,
            identity.tls(),
            random,
            opened);
    scheduleRefresh(attestation, opened);
    logListening(settings, http, identity, nsm);
    return new App(agentKey, http.port(), http.httpsPort(), nsm, opened);
  }

  /** Renews the code attestation and checks the clock hourly (DESIGN). */
  private static void scheduleRefresh(AttestationService attestation, OpenedParts opened) {
    ScheduledExecutorService refresher =
        Executors.newSingleThreadScheduledExecutor(
            task -> Thread.ofPlatform().daemon().name("attestation-refresh").unstarted(task));
    opened.add("the attestation refresh", refresher::shutdownNow);
    // refreshLoggingFailures catches and logs, so a throw never ends the schedule.
    var _ =
        refresher.scheduleWithFixedDelay(
            attestation::refreshLoggingFailures,
            REFRESH_INTERVAL.toSeconds(),
            REFRESH_INTERVAL.toSeconds(),
            TimeUnit.SECONDS);
  }

  private static void logListening(
      AgentSettings settings, HttpWiring http, IdentityWiring identity, Nsm nsm) {
    LOG.info(
        "agent {} listening on {}:{}{} as {} (operator {}, attestation {})",
        settings.teeName(),
        settings.host(),
        settings.listeners().plainHttp() ? http.port() : "- (plain HTTP off)",
        identity
            .tls()
            .map(
                tls ->
                    ", HTTPS on port "
                        + http.httpsPort().getAsInt()
                        + " with tls_spki_sha256 "
                        + tls.spkiSha256())
            .orElse(""),
        identity.key().address(),
        settings.operator(),
        nsm.mode().label());
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
   * Stops what the start opened, last first: the refresh, the server (draining requests), the
   * sealed identity, the outbound clients, the NSM. Each is closed even when one before it fails (a
   * drain that times out with a request still running), and nothing is thrown to the shutdown hook.
   */
  @Override
  public void close() {
    opened.close();
  }
}
