package dev.teeagent.nsm;

import java.nio.file.Path;
import java.util.Set;

/**
 * The Nitro Secure Module's requests (aws-nitro-enclaves-nsm-api), as the agent uses them. Calls
 * may block; {@link AttestationService} serializes them.
 */
public interface Nsm extends AutoCloseable {
  /**
   * The Nitro Secure Module's device. Here rather than in {@link NitroNsm}, whose class
   * initialization binds native calls, so that a simulated start never pays for it.
   */
  Path DEVICE = Path.of("/dev/nsm");

  AttestationMode mode();

  /**
   * A signed attestation document (untagged COSE_Sign1). Each argument may be null (left out of the
   * document); each is at most 1024 bytes, and DESIGN keeps them ≤ 512 for strict verifiers.
   */
  byte[] attestation(byte[] userData, byte[] nonce, byte[] publicKey) throws NsmException;

  /** PCR {@code index}: its value and whether it is locked. */
  PcrValue describePcr(int index) throws NsmException;

  /** Entropy from the NSM's hardware source. */
  byte[] random() throws NsmException;

  /** Version and capabilities of the module. */
  Description describe() throws NsmException;

  @Override
  void close();

  /** One PCR's current value. */
  record PcrValue(boolean locked, byte[] data) {}

  /** The DescribeNSM answer. */
  record Description(
      int versionMajor,
      int versionMinor,
      int versionPatch,
      String moduleId,
      int maxPcrs,
      Set<Integer> lockedPcrs,
      String digest) {}
}
