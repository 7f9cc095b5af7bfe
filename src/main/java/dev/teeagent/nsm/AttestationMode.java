package dev.teeagent.nsm;

/** Where attestation documents come from (DESIGN §2); shown in /config as attestation_mode. */
public enum AttestationMode {
  /** The Nitro Secure Module at /dev/nsm, inside an enclave; documents signed by AWS. */
  NITRO("nitro"),
  /** A local stand-in with a throw-away CA; documents of the same shape, trusted by no one. */
  SIMULATED("simulated");

  private final String label;

  AttestationMode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
