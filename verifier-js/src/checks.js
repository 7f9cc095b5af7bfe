// The checks of a verification, in the order they run, with the labels the Java verifier prints
// (dev.teeagent.verifier.Check), and the one rule that turns steps into a verdict.

export const Check = Object.freeze({
  FETCH: "fetch",
  /** The payload's fields have the types and sizes of AWS's specification, and no others. */
  FIELDS: "fields",
  SIGNATURE: "signature",
  CHAIN: "chain",
  FRESHNESS: "freshness",
  DEBUG_MODE: "debug",
  PCRS: "pcrs",
  NONCE: "nonce",
  AGENT_KEY: "agent key",
  USER_DATA: "user data",
  /** The attested custody statement: reported when present; with requireLocked, present and locked. */
  CUSTODY: "custody",
  /** A signed answer (DESIGN §3): EIP-191 signature over JCS, by the signer it names. */
  ANSWER_SIGNATURE: "answer signature",
  /** The answer's signer is the attested agent. */
  ANSWER_SIGNER: "answer signer",
  /** The answer's `request` names what was asked: method, path, query, keccak256 of the body. */
  ANSWER_REQUEST: "answer request",
  /** The answer echoes the client's X-Client-Nonce. */
  ANSWER_NONCE: "answer client nonce",
});

export const passed = (check, detail) => ({ check, outcome: "passed", detail });
export const failed = (check, detail) => ({ check, outcome: "failed", detail });

/** "ok    pcrs: …" / "FAIL  chain: …", as the Java verifier's report lines. */
export function line(step) {
  return (step.outcome === "passed" ? "ok  " : "FAIL") + "  " + step.check + ": " + step.detail;
}

// As `tee-agent verify` says it (dev.teeagent.cli.VerifyCommand), which has no other way out here:
// issue 15 wants the JS verdict never to pass without PCRs.
const NOT_PINNED =
  "NOT VERIFIED: the code is not pinned (no expected PCRs given): give the PCRs the code must have (pcrs.json from make eif)";

/**
 * VERIFIED only when every step passed and the code was pinned by expected PCRs; otherwise NOT
 * VERIFIED with the first failed check named. A report without PCRs is never a pass.
 */
export function verdict(steps) {
  const failures = steps.filter((step) => step.outcome !== "passed");
  if (steps.length === 0) return { verified: false, text: "NOT VERIFIED: nothing was checked" };
  if (failures.length > 0) {
    const first = failures[0];
    const text = first.notPinned ? NOT_PINNED : `NOT VERIFIED: ${first.check} check failed: ${first.detail}`;
    return { verified: false, failedCheck: first.check, text };
  }
  if (!steps.some((step) => step.check === Check.PCRS)) {
    return { verified: false, failedCheck: Check.PCRS, text: NOT_PINNED };
  }
  return { verified: true, text: "VERIFIED" };
}
