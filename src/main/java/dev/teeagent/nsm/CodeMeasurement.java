package dev.teeagent.nsm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The simulated enclave's PCRs, derived from the running code so that they change whenever the code
 * does: SHA-384 of the jar's bytes (or, when run from a classes directory, of every file's path and
 * bytes in order), then for PCR0..2 an extend-style SHA-384(48 zero bytes ‖ SHA-384("PCRn" ‖
 * digest)). PCR3..15 are zero, as for an enclave without an IAM role or signing certificate.
 */
record CodeMeasurement(byte[] codeDigest) {
  static final int PCR_BYTES = 48;
  static final int PCR_COUNT = 16;

  static CodeMeasurement ofRunningCode() {
    try {
      return of(
          Path.of(
              CodeMeasurement.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the running code", e);
    }
  }

  static CodeMeasurement of(Path code) {
    MessageDigest digest = sha384();
    try {
      if (Files.isDirectory(code)) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(code)) {
          files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
          digest.update(code.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
          update(digest, file);
        }
      } else {
        update(digest, code);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the running code", e);
    }
    return new CodeMeasurement(digest.digest());
  }

  SortedMap<Integer, byte[]> pcrs() {
    SortedMap<Integer, byte[]> pcrs = new TreeMap<>();
    for (int index = 0; index < PCR_COUNT; index++) {
      pcrs.put(index, index <= 2 ? measured(index) : new byte[PCR_BYTES]);
    }
    return pcrs;
  }

  private byte[] measured(int index) {
    MessageDigest inner = sha384();
    inner.update(("PCR" + index).getBytes(StandardCharsets.US_ASCII));
    inner.update(codeDigest);
    MessageDigest extend = sha384();
    extend.update(new byte[PCR_BYTES]);
    extend.update(inner.digest());
    return extend.digest();
  }

  private static void update(MessageDigest digest, Path file) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
  }

  private static MessageDigest sha384() {
    try {
      return MessageDigest.getInstance("SHA-384");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
