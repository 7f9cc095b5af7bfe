package dev.teeagent.verifier;

/**
 * The steps of verifying an attestation, in the order they run. Each has a short label for the
 * one-line reports of the verifier.
 */
public enum Check {
  /** (Online) the agent answered /attestation and /config with bodies signed as DESIGN §3 says. */
  FETCH("fetch"),
  /** The payload's fields have the types and sizes of AWS's specification, and no others. */
  FIELDS("fields"),
  /** COSE_Sign1 shape, ES384 header and the signature by the leaf key. */
  SIGNATURE("signature"),
  /** Leaf → intermediates → trusted root, every certificate valid at the validation time. */
  CHAIN("chain"),
  /** The document's signed timestamp is within the allowed window of now. */
  FRESHNESS("freshness"),
  /** Not a debug-mode enclave (debug enclaves have all-zero PCRs and can be inspected). */
  DEBUG_MODE("debug"),
  /** Every expected PCR equals the document's. */
  PCRS("pcrs"),
  /** The document echoes the verifier's nonce. */
  NONCE("nonce"),
  /** The attested public key is the agent's key, which signed its answers. */
  AGENT_KEY("agent key"),
  /** user_data is sha256 of the canonical preimage the agent returned. */
  USER_DATA("user data"),
  /**
   * (Online, https://) the TLS key of each connection that carried /attestation and /config is the
   * attested tls_spki_sha256.
   */
  TLS_KEY("tls key"),
  /**
   * (Online) the attested custody statement: reported when the agent has one; with {@code
   * --require-locked}, present and locked.
   */
  CUSTODY("custody");

  private final String label;

  Check(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
