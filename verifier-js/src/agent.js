// Verifies a running agent end to end, trusting only the root, as dev.teeagent.attestation
// .AgentVerifier does: a fresh /attestation with a random nonce and a signed /config, the document
// checked (chain at its own time, fresh, PCRs, nonce), the attested public key being the secp256k1
// key that signed both answers, and user_data committing to the returned preimage, whose members
// are exactly the ones this verifier knows how to check (preimage.js).
import canonicalize from "canonicalize";
import { computeAddress } from "ethers";
import { Check, failed, passed, verdict } from "./checks.js";
import { checkDocument } from "./attestation.js";
import { sameAddress, verifySignedBody } from "./signed-answer.js";
import { preimageProblems } from "./preimage.js";
import { fromBase64, sameBytes, sha256, toHex, printable } from "./bytes.js";

const MAX_BODY_BYTES = 1024 * 1024;
const TIMEOUT_MS = 30_000;

/**
 * @param {string} baseUrl e.g. http://127.0.0.1:7047
 * @param {object} options root; expectedPcrs (Map); maxAgeSeconds (default 300); allowDebug;
 *   requireLocked (fail unless custody is attested and locked); fetch (default
 *   globalThis.fetch); now (ms, default Date.now())
 * @returns {{steps, verdict, nonce, agent}} agent = {address, preimage, config, document} as far as verified
 */
export async function verifyAgent(baseUrl, options) {
  const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const base = String(baseUrl).replace(/\/+$/, "");
  let attestation;
  let config;
  try {
    attestation = await fetchSigned(fetcher, base, "/api/v1/attestation?nonce=0x" + toHex(nonce));
    config = await fetchSigned(fetcher, base, "/api/v1/config");
  } catch (e) {
    if (!(e instanceof FetchFailure)) throw e;
    return result([failed(Check.FETCH, e.message)], nonce, {});
  }
  const document = fromBase64(attestation.body.document ?? "");
  const preimage = attestation.body.user_data_preimage;
  if (!document || document.length === 0 || !preimage || typeof preimage !== "object" || Array.isArray(preimage)) {
    return result([failed(Check.FETCH, "/attestation lacks a base64 document or a user_data_preimage")], nonce, {});
  }
  const also = attestation.signer === config.signer ? "" : " and " + config.signer;
  const steps = [passed(Check.FETCH, `/attestation and /config answered, signed by ${attestation.signer}${also}`)];
  const report = await checkDocument(document, {
    root: options.root,
    expectedPcrs: options.expectedPcrs,
    maxAgeSeconds: options.maxAgeSeconds ?? 300,
    now: options.now ?? Date.now(),
    nonce,
    allowDebug: options.allowDebug === true,
  });
  steps.push(...report.steps);
  const agent = { preimage, config: config.body, document: report.attestation?.doc ?? null };
  if (!report.attestation) return result(steps, nonce, agent);
  const address = agentKey(report.attestation.doc, attestation, config, steps);
  const { step, known } = await userData(report.attestation.doc, preimage, address, config.body);
  steps.push(step);
  // As the Java verifier: the preimage counts as verified when user_data commits to it and its
  // members are known (a mismatch with /config fails the user data step, not this one).
  const custody = custodyStep(known ? preimage : null, options.requireLocked === true, config.body.identity);
  if (custody) steps.push(custody);
  return result(steps, nonce, { ...agent, address });
}

function agentKey(doc, attestation, config, steps) {
  let address = null;
  if (doc.publicKey && doc.publicKey.length === 65 && doc.publicKey[0] === 0x04) {
    try {
      address = computeAddress("0x" + toHex(doc.publicKey));
    } catch {
      address = null;
    }
  }
  if (!address) {
    steps.push(failed(Check.AGENT_KEY, "public_key is not an uncompressed secp256k1 public key (65 bytes)"));
    return null;
  }
  if (address !== config.signer || address !== attestation.signer) {
    steps.push(failed(Check.AGENT_KEY,
      `the attested key is ${address} but /config was signed by ${config.signer} and /attestation by ${attestation.signer}`));
    return null;
  }
  if (!sameAddress(address, config.body.address)) {
    steps.push(failed(Check.AGENT_KEY, "/config names another address than its signer"));
    return null;
  }
  steps.push(passed(Check.AGENT_KEY, `public_key is the secp256k1 key of ${address}, which signed /config and /attestation`));
  return address;
}

/** The user data step, and whether the preimage is known (user_data commits to it, members known). */
async function userData(doc, preimage, address, config) {
  const expected = await sha256(new TextEncoder().encode(canonicalize(preimage)));
  if (!doc.userData || !sameBytes(doc.userData, expected)) {
    return { step: failed(Check.USER_DATA, "user_data is not sha256(JCS(user_data_preimage)) of the answer"), known: false };
  }
  const problems = preimageProblems(preimage);
  if (problems.length > 0) return { step: failed(Check.USER_DATA, "the preimage's " + problems.join("; ")), known: false };
  return { step: knownPreimage(preimage, address, config), known: true };
}

function knownPreimage(preimage, address, config) {
  const mismatches = [];
  if (address && !sameAddress(address, preimage.address)) {
    mismatches.push(`address ${printable(preimage.address)} is not the attested key's`);
  }
  if (String(preimage.tee_name) !== config.tee_name) mismatches.push("tee_name differs from /config's");
  if (!sameAddress(config.operator ?? "", preimage.operator ?? "")) mismatches.push("operator differs from /config's");
  // The TLS key bound by an agent with HTTPS on (absent when off); a page cannot see the key of
  // its own connection, so it shows the pin for curl --pinnedpubkey and the CLI to check.
  if ((preimage.tls_spki_sha256 ?? null) !== (config.tls_spki_sha256 ?? null)) mismatches.push("tls_spki_sha256 differs from /config's");
  if (preimage.tls_spki_sha256 !== undefined && !/^0x[0-9a-f]{64}$/.test(String(preimage.tls_spki_sha256))) {
    mismatches.push("tls_spki_sha256 is not 0x and 64 lower-case hex digits");
  }
  if (!sameCustody(preimage.custody, config.identity?.custody)) mismatches.push("custody differs from /config's identity.custody");
  if (mismatches.length > 0) return failed(Check.USER_DATA, "the preimage's " + mismatches.join("; "));
  const tls = preimage.tls_spki_sha256 === undefined ? "" : `, TLS key ${preimage.tls_spki_sha256} (curl --pinnedpubkey ${curlPin(preimage.tls_spki_sha256)})`;
  return passed(Check.USER_DATA,
    `user_data = sha256(JCS(preimage)) for tee_name "${printable(preimage.tee_name)}", operator ${printable(preimage.operator)}, state_hash ${printable(preimage.state_hash, 200)}${tls}`);
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Whether /config's identity.custody says what the attested custody says (both absent: same). */
function sameCustody(attested, config) {
  if (attested === undefined) return !isObject(config);
  if (!isObject(config)) return false;
  const text = (value) => (typeof value === "string" ? value : null);
  return attested.key_id === text(config.key_id) && attested.origin === text(config.origin) &&
    attested.policy_sha256 === text(config.policy_sha256) && typeof config.locked === "boolean" &&
    config.locked === attested.locked;
}

/**
 * The custody step, as dev.teeagent.verifier.AttestedCustody.check: none when custody is
 * neither attested nor required; passed when attested and locked, or attested and not required
 * (the detail says NOT locked); failed when required and not attested or not locked.
 */
function custodyStep(preimage, requireLocked, identity) {
  if (!preimage) return requireLocked ? failed(Check.CUSTODY, "no attested custody to check: the preimage did not verify") : null;
  const custody = preimage.custody;
  if (custody === undefined) {
    return requireLocked
      ? failed(Check.CUSTODY, "the agent attests no custody statement: it keeps no sealed identity under a KMS key (serve --state-dir), so nothing shows who else can get at its key, and locked custody was required")
      : null;
  }
  const what = `KMS key ${printable(custody.key_id)} (origin ${printable(String(custody.origin))}, policy sha256 ${printable(String(custody.policy_sha256))})`;
  if (custody.locked) {
    return passed(Check.CUSTODY, `${what} is locked: only this image's measurement can decrypt with it, and no one can change its policy, add a grant, import material or delete it`);
  }
  const reasons = Array.isArray(identity?.custody?.reasons) ? identity.custody.reasons.map((r) => printable(String(r), 200)) : [];
  const detail = `${what} is NOT locked` + (reasons.length > 0 ? ` (as /config says: ${reasons.join("; ")})` : "");
  return requireLocked
    ? failed(Check.CUSTODY, detail + ", and locked custody was required")
    : passed(Check.CUSTODY, detail + " (reported; --require-locked fails on this)");
}

/** sha256//BASE64 of a 0x-hex SPKI hash, the form curl --pinnedpubkey takes. */
export function curlPin(spkiSha256) {
  const bytes = String(spkiSha256).slice(2).match(/../g).map((pair) => parseInt(pair, 16));
  return "sha256//" + btoa(String.fromCharCode(...bytes));
}

/** GET `path` of the agent; the body must be an answer signed as DESIGN §3 says. */
export async function fetchSigned(fetcher, base, path) {
  const what = "GET " + path.replace(/\?.*$/, "");
  let response;
  let bytes;
  try {
    response = await fetcher(base + path, { signal: AbortSignal.timeout(TIMEOUT_MS), cache: "no-store" });
    bytes = await readBounded(response);
  } catch (e) {
    if (e instanceof FetchFailure) throw e;
    throw new FetchFailure(`${what} failed: ${e?.name === "TimeoutError" ? "no answer within 30 s" : "the agent could not be reached (is the URL right, and does it allow this page's origin?)"}`);
  }
  const text = new TextDecoder().decode(bytes);
  const verified = verifySignedBody(text);
  if (!verified) throw new FetchFailure(`${what} answered ${response.status} without a valid agent signature`);
  if (response.status !== 200) {
    const error = verified.body.error ?? {};
    throw new FetchFailure(`${what} answered ${response.status} ${printable(error.code ?? "")}: ${printable(error.message ?? "")}`);
  }
  return { ...verified, text };
}

async function readBounded(response) {
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new FetchFailure(`GET ${new URL(response.url).pathname} answered more than 1 MiB`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function result(steps, nonce, agent) {
  return { steps, verdict: verdict(steps), nonce: toHex(nonce), agent };
}

class FetchFailure extends Error {}
