package dev.teeagent.verifier;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of each {@link Check} that ran, in order, and the verified document when its
 * signature and chain held (content checks such as PCRs may still have failed).
 */
public record VerificationReport(List<Step> steps, Optional<VerifiedAttestation> attestation) {
  public enum Outcome {
    PASSED,
    FAILED,
    SKIPPED
  }

  /** One line of a report: what was checked, how it went, and why. */
  public record Step(Check check, Outcome outcome, String detail) {
    public static Step passed(Check check, String detail) {
      return new Step(check, Outcome.PASSED, detail);
    }

    public static Step failed(Check check, String detail) {
      return new Step(check, Outcome.FAILED, detail);
    }

    public static Step skipped(Check check, String detail) {
      return new Step(check, Outcome.SKIPPED, detail);
    }

    /** "ok pcrs: PCR0, PCR1, PCR2 match", "FAIL chain: …", "skip pcrs: …". */
    public String line() {
      String mark =
          switch (outcome) {
            case PASSED -> "ok  ";
            case FAILED -> "FAIL";
            case SKIPPED -> "skip";
          };
      return mark + "  " + check.label() + ": " + detail;
    }
  }

  public VerificationReport {
    steps = List.copyOf(steps);
  }

  public boolean passed() {
    return attestation.isPresent() && failures().isEmpty();
  }

  public List<Step> failures() {
    return steps.stream().filter(step -> step.outcome() == Outcome.FAILED).toList();
  }

  /** The verified document when every check passed, else the first failure as an exception. */
  public VerifiedAttestation orElseThrow() throws AttestationVerificationException {
    List<Step> failures = failures();
    if (!failures.isEmpty()) {
      Step first = failures.getFirst();
      throw new AttestationVerificationException(first.check(), first.detail());
    }
    return attestation.orElseThrow(
        () -> new AttestationVerificationException(Check.SIGNATURE, "no document verified"));
  }

  /** This report with more steps (e.g. the online checks) appended. */
  public VerificationReport plus(List<Step> more) {
    return new VerificationReport(
        java.util.stream.Stream.concat(steps.stream(), more.stream()).toList(), attestation);
  }
}
