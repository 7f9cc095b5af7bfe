package dev.teeagent.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teeagent.nsm.EmulatedNsm;
import dev.teeagent.nsm.NsmException;
import dev.teeagent.testing.ExternalCommand;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EmulatedNsm} behind the real syscall: {@code src/test/c/nsm_harness.c} (compiled here
 * with gcc) supervises every {@code ioctl(fd, 0xC0200A00, …)} of the processes it launches and
 * relays each request to the emulated module. {@link #wrap} makes a command run in a private mount
 * namespace whose /dev holds the basic devices and a /dev/nsm (a file of the test's), under the
 * seccomp filter.
 */
final class SyscallNsm implements AutoCloseable {
  private static final Path SOURCE = EnclaveFiles.path("src/test/c/nsm_harness.c");
  private static final Path BINARY = EnclaveFiles.path("target/nsm-harness/nsm_harness");

  private final Process supervisor;
  private final Path device;
  private final Path socket;
  private final Thread relay;

  private SyscallNsm(Process supervisor, Path device, Path socket, Thread relay) {
    this.supervisor = supervisor;
    this.device = device;
    this.socket = socket;
    this.relay = relay;
  }

  /**
   * Builds the harness and checks that this kernel supports seccomp user notification: where it
   * does not, the test fails saying so (never skipped).
   */
  static synchronized Path harness() throws IOException {
    if (!Files.isExecutable(BINARY)
        || Files.getLastModifiedTime(BINARY).compareTo(Files.getLastModifiedTime(SOURCE)) < 0) {
      Files.createDirectories(BINARY.getParent());
      ExternalCommand.Result gcc =
          ExternalCommand.of(
                  "gcc",
                  "-O1",
                  "-Wall",
                  "-Wextra",
                  "-Werror",
                  "-o",
                  BINARY.toString(),
                  SOURCE.toString())
              .timeout(Duration.ofMinutes(1))
              .run();
      assertThat(gcc.exitCode())
          .as("gcc (Debian's, installed by .ci/run): " + gcc.output())
          .isZero();
    }
    ExternalCommand.Result probe = ExternalCommand.of(BINARY.toString(), "probe").run();
    assertThat(probe.exitCode())
        .as(
            "SECCOMP_RET_USER_NOTIF is required for the NSM tests and this kernel ("
                + System.getProperty("os.version")
                + ") lacks it: "
                + probe.output())
        .isZero();
    return BINARY;
  }

  /** Starts the supervisor for {@code nsm}, with its socket and device file in {@code dir}. */
  static SyscallNsm start(EmulatedNsm nsm, Path dir) throws IOException, InterruptedException {
    Path harness = harness();
    Path device = Files.writeString(dir.resolve("nsm-device"), "");
    Path socket = dir.resolve("nsm.sock");
    Process supervisor =
        new ProcessBuilder(harness.toString(), "supervise", socket.toString(), device.toString())
            .redirectError(dir.resolve("nsm-supervisor.log").toFile())
            .start();
    Thread relay =
        Thread.ofPlatform()
            .daemon()
            .name("nsm-relay")
            .start(() -> relay(nsm, supervisor.getInputStream(), supervisor.getOutputStream()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(socket)) {
      assertThat(supervisor.isAlive()).as("the NSM supervisor exited").isTrue();
      assertThat(System.nanoTime()).as("the NSM supervisor's socket").isLessThan(deadline);
      Thread.sleep(20);
    }
    return new SyscallNsm(supervisor, device, socket, relay);
  }

  /**
   * {@code command} (absolute program path first) in a private mount namespace with /dev/nsm, under
   * the filter. {@code namespaces} are further unshare flags (e.g. --net --pid --fork).
   */
  List<String> wrap(List<String> namespaces, List<String> command) throws IOException {
    return wrap(namespaces, Map.of(), command);
  }

  /** The same, with files bind-mounted over others first (source → target). */
  List<String> wrap(List<String> namespaces, Map<Path, String> binds, List<String> command)
      throws IOException {
    StringBuilder mounts = new StringBuilder();
    binds.forEach(
        (source, target) ->
            mounts.append("mount --bind '%s' '%s' || exit 1\n".formatted(source, target)));
    String script =
        """
        device=$1 harness=$2 socket=$3; shift 3
        mount --make-rprivate / || exit 1
        %smount -t tmpfs -o mode=0755 tmpfs /dev || exit 1
        for spec in null:3 zero:5 full:7 random:8 urandom:9; do
          mknod -m 666 "/dev/${spec%%:*}" c 1 "${spec#*:}" || exit 1
        done
        touch /dev/nsm && mount --bind "$device" /dev/nsm || exit 1
        exec "$harness" launch "$socket" "$@"
        """
            .formatted(mounts);
    List<String> wrapped = new ArrayList<>(List.of("unshare", "--mount"));
    wrapped.addAll(namespaces);
    wrapped.addAll(
        List.of(
            "/bin/sh",
            "-c",
            script,
            "sh",
            device.toString(),
            harness().toString(),
            socket.toString()));
    wrapped.addAll(command);
    return wrapped;
  }

  private static volatile int callerPid;

  /** The (host) process id of the last NSM caller: a way into its namespaces. */
  static int lastCallerPid() {
    return callerPid;
  }

  private static void relay(
      EmulatedNsm nsm, InputStream fromSupervisor, OutputStream toSupervisor) {
    DataInputStream in = new DataInputStream(fromSupervisor);
    try {
      while (true) {
        int kind = in.read();
        if (kind < 0) {
          return;
        }
        if (kind != 'Q') {
          throw new IOException("unexpected relay frame " + kind);
        }
        ByteBuffer head = ByteBuffer.wrap(in.readNBytes(16)).order(ByteOrder.LITTLE_ENDIAN);
        if (head.remaining() < 16) {
          throw new EOFException();
        }
        callerPid = head.getInt();
        int length = head.getInt();
        head.getLong(); // the response buffer's capacity: the supervisor truncates to it
        byte[] request = in.readNBytes(length);
        toSupervisor.write(frame(answer(nsm, request)));
        toSupervisor.flush();
      }
    } catch (IOException e) {
      // the supervisor is gone: nothing left to answer
    }
  }

  private static EmulatedNsm.Reply answer(EmulatedNsm nsm, byte[] request) {
    try {
      return nsm.handle(request);
    } catch (NsmException | RuntimeException e) {
      return new EmulatedNsm.Reply.Errno(5); // EIO: the emulation itself broke
    }
  }

  private static byte[] frame(EmulatedNsm.Reply reply) {
    return switch (reply) {
      case EmulatedNsm.Reply.Silence() -> new byte[] {'N'};
      case EmulatedNsm.Reply.Errno(int errno) ->
          ByteBuffer.allocate(5)
              .order(ByteOrder.LITTLE_ENDIAN)
              .put((byte) 'E')
              .putInt(errno)
              .array();
      case EmulatedNsm.Reply.Answer(byte[] bytes) ->
          ByteBuffer.allocate(5 + bytes.length)
              .order(ByteOrder.LITTLE_ENDIAN)
              .put((byte) 'A')
              .putInt(bytes.length)
              .put(bytes)
              .array();
    };
  }

  @Override
  public void close() {
    RuntimeAgent.stop(supervisor);
    try {
      relay.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
