package dev.teeagent.enclave;

import dev.teeagent.testing.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the agent logs about its signer (crypto/NativeSecp256k1), and whether this host has one. */
final class NativeSigner {
  /** Logged when FFM loaded libsecp256k1 (the name it found follows in parentheses). */
  static final String LOADED = "signing with libsecp256k1 (libsecp256k1.so.";

  /** Logged when no libsecp256k1 could be loaded. */
  static final String FALLBACK =
      "libsecp256k1 not found: signing with the pure-Java implementation";

  private NativeSigner() {}

  /** Whether the host's loader cache lists a libsecp256k1 the agent looks up (.so.1, .so.2). */
  static boolean hostHasLibsecp256k1() {
    String ldconfig = Files.isExecutable(Path.of("/sbin/ldconfig")) ? "/sbin/ldconfig" : "ldconfig";
    ExternalCommand.Result cache = ExternalCommand.of(ldconfig, "-p").run();
    if (cache.exitCode() != 0) {
      throw new AssertionError("ldconfig -p failed: " + cache.output());
    }
    return cache.stdoutLines().stream()
        .map(String::strip)
        .anyMatch(line -> line.matches("libsecp256k1\\.so(\\.[12])? .*"));
  }
}
