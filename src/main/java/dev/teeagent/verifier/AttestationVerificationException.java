package dev.teeagent.verifier;

/**
 * The one exception attestation parsing and verification throw: which {@link Check} failed and a
 * one-line reason. Malformed input of any kind (truncated, wrong types, huge lengths, tags) ends
 * here, never as another exception.
 */
public final class AttestationVerificationException extends Exception {
  private static final long serialVersionUID = 1L;
  private final Check check;

  public AttestationVerificationException(Check check, String reason) {
    super(reason);
    this.check = check;
  }

  public AttestationVerificationException(Check check, String reason, Throwable cause) {
    super(reason, cause);
    this.check = check;
  }

  public Check check() {
    return check;
  }

  /** The one-line reason, without the step name. */
  public String reason() {
    return getMessage();
  }
}
