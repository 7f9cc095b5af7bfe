// Verifies any AWS Nitro attestation document, trusting only the given root: the COSE_Sign1
// structure, the payload's fields (types and sizes as AWS specifies them; a failure here is the
// "fields" check), the ES384 signature by the leaf certificate, the chain leaf → cabundle → root
// at the chosen time (by default the document's own), then on that authenticated content: freshness,
// debug mode, the expected PCRs and the nonce. The same checks, in the same order and with the same
// names, as dev.teeagent.verifier.AttestationVerifier. No I/O.
import { Check, failed, passed } from "./checks.js";
import { DocumentError, isDebugMode, parseAttestationDocument, parseCoseSign1 } from "./document.js";
import { CertificateError, ChainError, verifyChain } from "./chain.js";
import { parseCertificate, subject } from "./roots.js";
import { isoInstant, sameBytes, toHex } from "./bytes.js";

const P384_SPKI_OID = "1.3.132.0.34";

/**
 * @param {Uint8Array} document the COSE_Sign1 bytes
 * @param {object} options root (from roots.js); at (ms, default: the document's time); now (ms) and
 *   maxAgeSeconds for freshness; expectedPcrs (Map index → bytes; empty: the code is not pinned); nonce
 *   (bytes the document must echo); allowDebug
 * @returns {{steps: object[], attestation: object|null}}
 */
export async function checkDocument(document, options) {
  const steps = [];
  let doc;
  let leaf;
  let cose;
  try {
    cose = parseCoseSign1(document);
    doc = parseAttestationDocument(cose.payload);
    leaf = parseCertificate(doc.certificate);
    if (!leaf) throw new DocumentError("the leaf certificate is not a valid X.509 certificate");
    await verifySignature(cose, leaf);
    steps.push(passed(Check.SIGNATURE, "COSE_Sign1 ES384 signature by " + subject(leaf)));
  } catch (e) {
    if (!(e instanceof DocumentError)) throw e;
    steps.push(failed(e.check, e.message));
    return { steps, attestation: null };
  }
  const at = options.at ?? doc.timestamp;
  try {
    const count = await verifyChain(doc, leaf, options.root, at);
    const when = isoInstant(at) + (options.at == null ? " (document time)" : "");
    steps.push(passed(Check.CHAIN, `${count} certificates lead to the ${options.root.describe}, all valid at ${when}`));
  } catch (e) {
    if (e instanceof CertificateError) steps.push(failed(Check.SIGNATURE, e.message));
    else if (e instanceof ChainError) steps.push(failed(Check.CHAIN, e.message));
    else throw e;
    return { steps, attestation: null };
  }
  if (options.maxAgeSeconds != null) steps.push(freshness(doc, options.maxAgeSeconds, options.now ?? Date.now()));
  steps.push(debugMode(doc, options.allowDebug === true));
  steps.push(pcrs(doc, options.expectedPcrs ?? new Map()));
  if (options.nonce) steps.push(nonce(doc, options.nonce));
  return { steps, attestation: { doc, leaf, at, root: options.root } };
}

async function verifySignature(cose, leaf) {
  const spki = leaf.subjectPublicKeyInfo;
  const curve = spki.algorithm.algorithmParams?.valueBlock?.toString?.();
  if (spki.algorithm.algorithmId !== "1.2.840.10045.2.1" || curve !== P384_SPKI_OID) {
    throw new DocumentError("the leaf certificate's key is not a P-384 key");
  }
  let valid = false;
  try {
    const key = await globalThis.crypto.subtle.importKey(
      "spki", spki.toSchema().toBER(false), { name: "ECDSA", namedCurve: "P-384" }, false, ["verify"]);
    valid = await globalThis.crypto.subtle.verify({ name: "ECDSA", hash: "SHA-384" }, key, cose.signature, cose.toBeSigned);
  } catch {
    valid = false;
  }
  if (!valid) throw new DocumentError("the ES384 signature does not verify with the leaf certificate's key");
}

function freshness(doc, windowSeconds, now) {
  const ageMillis = now - doc.timestamp;
  if (Math.abs(ageMillis) > windowSeconds * 1000) {
    return failed(Check.FRESHNESS,
      `document time ${isoInstant(doc.timestamp)} is ${Math.trunc(ageMillis / 1000)} s from now (${isoInstant(now)}), beyond the ${windowSeconds} s window`);
  }
  return passed(Check.FRESHNESS, `document time ${isoInstant(doc.timestamp)} is within ${windowSeconds} s of now`);
}

function debugMode(doc, allowDebug) {
  if (!isDebugMode(doc)) return passed(Check.DEBUG_MODE, "not a debug-mode enclave (PCR0 is not all zeros)");
  if (allowDebug) return passed(Check.DEBUG_MODE, "debug-mode enclave (PCR0 is all zeros), accepted as asked");
  return failed(Check.DEBUG_MODE,
    "debug-mode enclave (PCR0 is all zeros): the host can read its memory; refused unless debug documents are explicitly allowed");
}

function pcrs(doc, expected) {
  if (expected.size === 0) {
    return { ...failed(Check.PCRS, "no expected PCRs given: the code is not identified"), notPinned: true };
  }
  const mismatches = [];
  for (const [index, value] of [...expected].sort(([a], [b]) => a - b)) {
    const actual = doc.pcrs.get(index);
    if (actual === undefined) mismatches.push(`PCR${index} is absent from the document`);
    else if (!sameBytes(actual, value)) mismatches.push(`PCR${index} is ${toHex(actual)}, expected ${toHex(value)}`);
  }
  if (mismatches.length > 0) return failed(Check.PCRS, mismatches.join("; "));
  return passed(Check.PCRS, [...expected.keys()].sort((a, b) => a - b).map((i) => "PCR" + i).join(", ") + " as expected");
}

function nonce(doc, expected) {
  if (doc.nonce === null) return failed(Check.NONCE, "the document carries no nonce");
  if (!sameBytes(doc.nonce, expected)) {
    return failed(Check.NONCE, `the document's nonce ${toHex(doc.nonce)} is not the expected ${toHex(expected)}`);
  }
  return passed(Check.NONCE, "the document echoes nonce " + toHex(expected));
}
