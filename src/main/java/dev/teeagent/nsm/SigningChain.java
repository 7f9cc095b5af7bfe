package dev.teeagent.nsm;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** The certificates a simulated module signs with: its root, its cabundle and a current leaf. */
public interface SigningChain {
  X509Certificate root();

  /** The cabundle of a document: root first, then the intermediates down to the leaf's issuer. */
  List<X509Certificate> cabundle();

  /** The leaf valid at {@code now} and its key. */
  SimulatedChain.Leaf leafAt(Instant now);
}
