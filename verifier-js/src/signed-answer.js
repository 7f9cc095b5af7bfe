// A signed answer of the agent (DESIGN §3), checked from the client's side with code we did not
// write: drop the top-level `signature`, canonicalize with RFC 8785 (npm canonicalize), recover the
// EIP-191 signer (ethers) and compare it with the `signer` member; then, when the caller knows
// them, the attested agent's address, the request the answer claims to answer and the client nonce.
import canonicalize from "canonicalize";
import { getAddress, keccak256, verifyMessage } from "ethers";
import { Check, failed, passed } from "./checks.js";

const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;

/** {signer, body} when `text` is a JSON object whose signature recovers to its `signer`, else null. */
export function verifySignedBody(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return null;
  const { signature, ...unsigned } = body;
  if (typeof signature !== "string" || !SIGNATURE.test(signature) || typeof body.signer !== "string") return null;
  try {
    const recovered = verifyMessage(canonicalize(unsigned), signature);
    return recovered === getAddress(body.signer) ? { signer: recovered, body } : null;
  } catch {
    return null;
  }
}

/**
 * Steps for one answer.
 * @param {string} text the raw body
 * @param {object} expect agent (address the answer must be signed by); request {method, path,
 *   query (null: none), body (the raw request bytes or text; null: none)}; clientNonce
 */
export function checkAnswer(text, expect = {}) {
  const verified = verifySignedBody(text);
  if (!verified) {
    return [failed(Check.ANSWER_SIGNATURE, "not a JSON object whose EIP-191 signature over its JCS form recovers to its signer member")];
  }
  const { signer, body } = verified;
  const steps = [passed(Check.ANSWER_SIGNATURE, `EIP-191 signature over the JCS of the answer recovers to ${signer}`)];
  if (expect.agent) {
    steps.push(sameAddress(signer, expect.agent)
      ? passed(Check.ANSWER_SIGNER, `signed by the attested agent ${signer}`)
      : failed(Check.ANSWER_SIGNER, `signed by ${signer}, not by the attested agent ${expect.agent}`));
  }
  if (expect.request) steps.push(requestStep(body.request, expect.request));
  if (expect.clientNonce !== undefined) {
    steps.push(body.client_nonce === expect.clientNonce
      ? passed(Check.ANSWER_NONCE, `echoes client nonce "${expect.clientNonce}"`)
      : failed(Check.ANSWER_NONCE, `client_nonce is ${JSON.stringify(body.client_nonce)}, not "${expect.clientNonce}"`));
  }
  return steps;
}

function requestStep(actual, expected) {
  if (!actual || typeof actual !== "object") return failed(Check.ANSWER_REQUEST, "the answer has no request member");
  const bodyHash = expected.body == null ? null : keccak256(typeof expected.body === "string" ? new TextEncoder().encode(expected.body) : expected.body);
  const want = { method: expected.method.toUpperCase(), path: expected.path, query: expected.query ?? null, body_hash: bodyHash };
  const differences = Object.entries(want)
    .filter(([name, value]) => (actual[name] ?? null) !== value)
    .map(([name, value]) => `${name} is ${JSON.stringify(actual[name] ?? null)}, expected ${JSON.stringify(value)}`);
  return differences.length > 0
    ? failed(Check.ANSWER_REQUEST, differences.join("; "))
    : passed(Check.ANSWER_REQUEST, `answers ${want.method} ${want.path}${want.query ? "?" + want.query : ""}${bodyHash ? " with body " + bodyHash : ""}`);
}

export function sameAddress(a, b) {
  try {
    return getAddress(a) === getAddress(b);
  } catch {
    return false;
  }
}
