package dev.teeagent.enclave;

import dev.teeagent.nsm.EmulatedNsm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Start-to-ready of the agent in nitro mode, its NSM emulated at the syscall boundary ({@link
 * SyscallNsm}: a private mount namespace, the seccomp filter, every ioctl relayed to {@link
 * EmulatedNsm}), against simulated mode in the same run, configurations interleaved. Both run the
 * full JDK with enclave/init's JVM flags. Run with bench/nitro-boot.sh (as root).
 */
public final class NitroBootBench {
  private NitroBootBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    Path dir = Files.createTempDirectory("nitro-boot-bench");
    long[] simulated = new long[runs];
    long[] nitro = new long[runs];
    for (int run = 0; run < runs; run++) {
      simulated[run] = startToReady(dir, null);
      EmulatedNsm emulated = new EmulatedNsm();
      try (SyscallNsm nsm = SyscallNsm.start(emulated, Files.createTempDirectory(dir, "nsm"))) {
        nitro[run] = startToReady(dir, nsm);
      }
      System.out.printf(
          Locale.ROOT,
          "run %d: simulated %d ms, nitro %d ms (NSM calls %s)%n",
          run + 1,
          simulated[run],
          nitro[run],
          emulated.calls());
    }
    long base = median(simulated);
    long measured = median(nitro);
    System.out.printf(
        Locale.ROOT,
        "%nconfiguration              ms   x simulated   (median of %d starts, ms to first 200)%n"
            + "simulated              %6d          1.00%n"
            + "nitro, syscall NSM     %6d          %.2f%n",
        runs,
        base,
        measured,
        (double) measured / base);
  }

  /** Launch to the first 200 on /health; {@code nsm} null means simulated attestation. */
  private static long startToReady(Path dir, SyscallNsm nsm) throws Exception {
    int port = NitroAgent.freePort();
    List<String> command = NitroAgent.serveCommand(port, nsm == null ? "simulated" : "nitro");
    long started = System.nanoTime();
    try (NitroAgent agent =
        NitroAgent.start(
            nsm == null ? command : nsm.wrap(List.of(), command), port, dir.resolve("agent.log"))) {
      agent.awaitHealthy();
      return (System.nanoTime() - started) / 1_000_000;
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
