// The certificate chain of a document: cabundle[0] must be the trusted root itself, then every
// certificate (root, intermediates, leaf) valid at the chosen time, then the path checked as PKIX
// does for the Java verifier: each certificate signed by the one above and naming it as issuer,
// every issuer below the root a CA allowed to sign certificates within its path length, and no
// unrecognized critical extension.
import { parseCertificate, subject } from "./roots.js";
import { isoInstant, sameBytes, sha256, toHex } from "./bytes.js";

const BASIC_CONSTRAINTS = "2.5.29.19";
const KEY_USAGE = "2.5.29.15";
const KEY_CERT_SIGN = 0x04; // bit 5 of the first KeyUsage byte
// Extensions the Java PKIX validator processes; any other one marked critical fails the path.
const RECOGNIZED = new Set([
  BASIC_CONSTRAINTS, KEY_USAGE, "2.5.29.14", "2.5.29.35", "2.5.29.17", "2.5.29.18", "2.5.29.31",
  "2.5.29.32", "2.5.29.30", "2.5.29.36", "2.5.29.37", "2.5.29.54",
]);

export class ChainError extends Error {}

/**
 * Throws ChainError naming the first certificate that fails; returns the number of certificates in
 * the chain (cabundle + leaf) when it holds.
 */
export async function verifyChain(doc, leaf, root, atMillis) {
  const bundle = [];
  for (let i = 0; i < doc.cabundle.length; i++) {
    const certificate = parseCertificate(doc.cabundle[i]);
    if (!certificate) throw new CertificateError(`cabundle[${i}] is not a valid X.509 certificate`);
    bundle.push(certificate);
  }
  if (!sameBytes(doc.cabundle[0], root.der)) {
    const fingerprint = toHex(await sha256(doc.cabundle[0]));
    throw new ChainError(`cabundle[0] (${subject(bundle[0])}, sha256 ${fingerprint}) is not the trusted ${root.describe}`);
  }
  const topDown = [root.certificate, ...bundle.slice(1), leaf];
  for (const certificate of topDown) {
    const notBefore = certificate.notBefore.value.getTime();
    const notAfter = certificate.notAfter.value.getTime();
    if (atMillis < notBefore || atMillis > notAfter) {
      throw new ChainError(
        `${subject(certificate)} is not valid at ${isoInstant(atMillis)} (valid ${isoInstant(notBefore)} .. ${isoInstant(notAfter)})`,
      );
    }
  }
  for (let i = 1; i < topDown.length; i++) {
    const issuer = topDown[i - 1];
    const certificate = topDown[i];
    const where = subject(certificate);
    if (i > 1) checkIssuer(issuer, topDown.length - 1 - i, subject(issuer));
    if (!certificate.issuer.isEqual(issuer.subject)) {
      throw new ChainError(`${where}: its issuer is not the next certificate up the chain`);
    }
    if (!(await signedBy(certificate, issuer))) {
      throw new ChainError(`${where}: its signature does not verify with its issuer's key`);
    }
    if ((certificate.extensions ?? []).some((e) => e.critical && !RECOGNIZED.has(e.extnID))) {
      throw new ChainError(`${where}: it has an unrecognized critical extension`);
    }
  }
  return topDown.length;
}

/** A certificate that is not one: reported under the signature check, as the Java verifier does. */
export class CertificateError extends Error {}

function checkIssuer(issuer, intermediatesBelow, where) {
  const constraints = extension(issuer, BASIC_CONSTRAINTS);
  if (!constraints?.cA) {
    throw new ChainError(`${where}: a certificate that is not a CA issued the next one`);
  }
  const usage = extension(issuer, KEY_USAGE);
  if (usage) {
    const bits = new Uint8Array(usage.valueBlock.valueHexView);
    if (!(bits[0] & KEY_CERT_SIGN)) {
      throw new ChainError(`${where}: key usage does not allow signing certificates`);
    }
  }
  const limit = constraints.pathLenConstraint;
  if (limit !== undefined && intermediatesBelow > Number(limit)) {
    throw new ChainError(`${where}: the chain is longer than a CA's path length allows`);
  }
}

function extension(certificate, oid) {
  return (certificate.extensions ?? []).find((e) => e.extnID === oid)?.parsedValue;
}

async function signedBy(certificate, issuer) {
  try {
    return await certificate.verify(issuer);
  } catch {
    return false;
  }
}
