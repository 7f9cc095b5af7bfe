package dev.teeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.AttestationSettings;
import dev.teeagent.config.ConfigException;
import dev.teeagent.config.ListenerSettings;
import dev.teeagent.config.PortInUseException;
import dev.teeagent.identity.IdentitySettings;
import dev.teeagent.nsm.AttestationMode;
import dev.teeagent.nsm.Nsm;
import dev.teeagent.nsm.NsmException;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.testing.TestAgent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails at each stage — the NSM's entropy, the sealed identity, the first attestation,
 * the simulated root file, the HTTPS port, the plain port — throws one sentence naming the flag and
 * leaves nothing open: no thread, no socket or selector, no port, no open NSM.
 */
class AppFailedStartIT {
  private static final Clock CLOCK = Clock.systemUTC();

  @TempDir Path scratch;
  private Set<Thread> threadsBefore;
  private long handlesBefore;

  /** One full start and stop first, so that what the JVM makes once for good is in the baseline. */
  @BeforeAll
  static void warmUp() {
    App.start(settings(ListenerSettings.plainOnly(), 0), CLOCK, new SecureRandom()).close();
  }

  @BeforeEach
  void baseline() throws IOException {
    threadsBefore = liveThreads();
    handlesBefore = openHandles();
  }

  @Test
  void aNitroNsmWithoutEntropyIsClosedAndNothingElseIsOpened() throws Exception {
    RecordingNsm nsm = new RecordingNsm(AttestationMode.NITRO, null);
    assertThatThrownBy(() -> startOn(nsm))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--attestation nitro: the NSM gave no entropy: no entropy today");
    assertThat(nsm.closed).isTrue();
    assertNothingLeftOpen();
  }

  @Test
  void anNsmThatCannotAttestStopsTheStartAndEverythingOpenedBeforeIsClosed() throws Exception {
    RecordingNsm nsm =
        new RecordingNsm(AttestationMode.SIMULATED, SimulatedNsm.start(CLOCK, new SecureRandom()));
    assertThatThrownBy(() -> startOn(nsm))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--attestation simulated: the NSM cannot attest");
    assertThat(nsm.closed).isTrue();
    assertNothingLeftOpen();
  }

  @Test
  void aSimulatedRootThatCannotBeWrittenNamesTheFlagAndClosesTheClientsAndTheNsm()
      throws Exception {
    Path nowhere = scratch.resolve("no-such-folder").resolve("root.pem");
    AttestationSettings attestation =
        new AttestationSettings(
            AttestationMode.SIMULATED,
            AttestationSettings.DEFAULT_PER_SECOND,
            AttestationSettings.DEFAULT_MAX_CLOCK_SKEW,
            Optional.of(nowhere));
    assertThatThrownBy(
            () ->
                App.start(
                    settings(ListenerSettings.plainOnly(), 0),
                    attestation,
                    CLOCK,
                    new SecureRandom()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--simulated-root-out: cannot write " + nowhere);
    assertNothingLeftOpen();
  }

  @Test
  void aSealedIdentityWhoseKmsDoesNotAnswerClosesWhatWasOpenedBeforeIt() throws Exception {
    int closed = freePort();
    Optional<IdentitySettings> identity =
        IdentitySettings.load(
            new IdentitySettings.Flags(
                scratch.resolve("state"),
                null,
                "http://127.0.0.1:" + closed,
                "key-1",
                "eu-west-1",
                null,
                false),
            Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "not-a-secret"));
    assertThatThrownBy(
            () ->
                App.start(
                    settings(ListenerSettings.plainOnly(), 0),
                    AttestationSettings.simulated(),
                    identity,
                    CLOCK,
                    new SecureRandom()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--state-dir ");
    assertNothingLeftOpen();
  }

  @Test
  void aBusyHttpsPortNamesTheFlagAndThePortAndReleasesThePlainOne() throws Exception {
    assertBusyPortNamedAndTheOtherReleased("--https-port");
  }

  @Test
  void aBusyPlainPortNamesTheFlagAndThePortAndReleasesTheHttpsOne() throws Exception {
    assertBusyPortNamedAndTheOtherReleased("--port");
  }

  /**
   * Starts with both listeners on fixed ports while another program holds the one of {@code flag}.
   */
  private void assertBusyPortNamedAndTheOtherReleased(String flag) throws Exception {
    int other = freePort();
    try (ServerSocket taken = takePort()) {
      int busy = taken.getLocalPort();
      boolean httpsBusy = flag.equals("--https-port");
      ListenerSettings listeners =
          new ListenerSettings(true, OptionalInt.of(httpsBusy ? busy : other));
      assertThatThrownBy(
              () ->
                  App.start(
                      settings(listeners, httpsBusy ? other : busy), CLOCK, new SecureRandom()))
          .isInstanceOf(PortInUseException.class)
          .hasMessage(
              "port "
                  + busy
                  + " on 127.0.0.1 is already in use (another agent still running?): stop that"
                  + " program, or choose another port with "
                  + flag);
    }
    assertNothingLeftOpen();
    assertThat(canBind(other)).as("the other port %d is free again", other).isTrue();
  }

  private static App startOn(Nsm nsm) {
    return App.start(
        settings(ListenerSettings.plainOnly(), 0),
        AttestationSettings.simulated(),
        nsm,
        CLOCK,
        new SecureRandom());
  }

  private static AgentSettings settings(ListenerSettings listeners, int port) {
    return new AgentSettings(TestAgent.TEE_NAME, TestAgent.OPERATOR, "127.0.0.1", port)
        .withListeners(listeners);
  }

  /**
   * Threads stop and sockets close a little after they are told to: waits up to 30 s for the
   * process to be back to its baseline, then compares.
   */
  private void assertNothingLeftOpen() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline
        && (!newThreads().isEmpty() || openHandles() > handlesBefore)) {
      Thread.sleep(50);
    }
    assertThat(newThreads()).as("threads the failed start left running").isEmpty();
    assertThat(openHandles()).as("sockets, pipes and selectors").isLessThanOrEqualTo(handlesBefore);
  }

  private Set<String> newThreads() {
    return liveThreads().stream()
        .filter(thread -> !threadsBefore.contains(thread))
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }

  /**
   * The live platform threads but the JVM-wide pools, which outlive every agent: the common
   * ForkJoinPool (parallel start work, the virtual threads' carriers) and OkHttp's shared task
   * runner, which ends its own idle threads after a minute.
   */
  private static Set<Thread> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(thread -> !thread.getName().startsWith("ForkJoinPool"))
        .filter(thread -> !thread.getName().startsWith("OkHttp TaskRunner"))
        .collect(Collectors.toSet());
  }

  /** The process's sockets, pipes and epoll/event descriptors (Linux). */
  private static long openHandles() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(AppFailedStartIT::target)
          .filter(
              target ->
                  target.startsWith("socket:")
                      || target.startsWith("pipe:")
                      || target.startsWith("anon_inode:"))
          .count();
    }
  }

  private static String target(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException e) {
      return ""; // closed meanwhile (the listing's own descriptor)
    }
  }

  private static ServerSocket takePort() throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return socket;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = takePort()) {
      return socket.getLocalPort();
    }
  }

  private static boolean canBind(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** An NSM that fails where a broken module would, and records being closed. */
  private static final class RecordingNsm implements Nsm {
    private final AttestationMode mode;
    private final Nsm describing;
    volatile boolean closed;

    RecordingNsm(AttestationMode mode, Nsm describing) {
      this.mode = mode;
      this.describing = describing;
    }

    @Override
    public AttestationMode mode() {
      return mode;
    }

    @Override
    public byte[] attestation(byte[] userData, byte[] nonce, byte[] publicKey) throws NsmException {
      throw new NsmException.NoAnswer("the module did not answer");
    }

    @Override
    public PcrValue describePcr(int index) throws NsmException {
      return describing.describePcr(index);
    }

    @Override
    public byte[] random() throws NsmException {
      throw new NsmException.NoAnswer("no entropy today");
    }

    @Override
    public Description describe() throws NsmException {
      return describing.describe();
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
