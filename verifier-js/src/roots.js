// The certificate a verifier trusts at the top of a document's chain: the AWS Nitro Enclaves root
// (carried here, and refused unless its SHA-256 equals the fingerprint AWS publishes), or a root
// the user names (the simulated root a local agent writes with `serve --simulated-root-out`).
import { Certificate } from "pkijs";
import { fromBase64, printable, sha256, toHex } from "./bytes.js";

/** SHA-256 of the DER of AWS_NitroEnclaves_Root-G1 (CN=aws.nitro-enclaves), as AWS publishes. */
export const AWS_ROOT_SHA256 = "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b";

// The same certificate as src/main/resources/attestation/aws_nitro_enclaves_root_g1.pem (a test
// compares them); its fingerprint is checked against the pin above before it is ever used.
const AWS_ROOT_PEM = `
-----BEGIN CERTIFICATE-----
MIICETCCAZagAwIBAgIRAPkxdWgbkK/hHUbMtOTn+FYwCgYIKoZIzj0EAwMwSTEL
MAkGA1UEBhMCVVMxDzANBgNVBAoMBkFtYXpvbjEMMAoGA1UECwwDQVdTMRswGQYD
VQQDDBJhd3Mubml0cm8tZW5jbGF2ZXMwHhcNMTkxMDI4MTMyODA1WhcNNDkxMDI4
MTQyODA1WjBJMQswCQYDVQQGEwJVUzEPMA0GA1UECgwGQW1hem9uMQwwCgYDVQQL
DANBV1MxGzAZBgNVBAMMEmF3cy5uaXRyby1lbmNsYXZlczB2MBAGByqGSM49AgEG
BSuBBAAiA2IABPwCVOumCMHzaHDimtqQvkY4MpJzbolL//Zy2YlES1BR5TSksfbb
48C8WBoyt7F2Bw7eEtaaP+ohG2bnUs990d0JX28TcPQXCEPZ3BABIeTPYwEoCWZE
h8l5YoQwTcU/9KNCMEAwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHQ4EFgQUkCW1DdkF
R+eWw5b6cp3PmanfS5YwDgYDVR0PAQH/BAQDAgGGMAoGCCqGSM49BAMDA2kAMGYC
MQCjfy+Rocm9Xue4YnwWmNJVA44fA0P5W2OpYow9OYCVRaEevL8uO1XYru5xtMPW
rfMCMQCi85sWBbJwKKXdS6BptQFuZbT73o/gBh1qUxl/nNr12UO8Yfwr6wPLb+6N
IwLz3/Y=
-----END CERTIFICATE-----
`;

const SHORT_NAMES = { "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU" };

export class RootError extends Error {}

/** The carried AWS root, after checking it against the pinned fingerprint. */
export async function awsRoot() {
  const root = await trustedRoot(pemToDer(AWS_ROOT_PEM), true);
  if (root.fingerprint !== AWS_ROOT_SHA256) {
    throw new RootError("the carried AWS root does not match the pinned fingerprint");
  }
  return root;
}

/** A root given by the user as PEM text. */
export async function rootFromPem(pem) {
  const der = pemToDer(pem);
  if (!der) throw new RootError("the trusted root is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
  return trustedRoot(der, false);
}

async function trustedRoot(der, aws) {
  const certificate = parseCertificate(der);
  if (!certificate) throw new RootError("the trusted root is not a valid X.509 certificate");
  const fingerprint = toHex(await sha256(der));
  const name = aws ? "AWS Nitro Enclaves root" : "root " + printable(distinguishedName(certificate));
  return { der, certificate, fingerprint, aws, describe: `${name} (sha256 ${fingerprint})` };
}

// Parsing a certificate with pkijs costs several ES384 verifications; documents of one enclave
// repeat all but the leaf, so parsed certificates are kept, by their exact bytes (bounded).
const parsed = new Map();
const MAX_PARSED = 64;

/** A parsed certificate, or null when the bytes are not one. */
export function parseCertificate(der) {
  const key = toHex(der);
  if (parsed.has(key)) return parsed.get(key);
  let certificate = null;
  try {
    const candidate = Certificate.fromBER(der);
    certificate = candidate.tbsView.byteLength > 0 ? candidate : null;
  } catch {
    certificate = null;
  }
  if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value);
  parsed.set(key, certificate);
  return certificate;
}

/** Forgets parsed certificates (for measuring a first verification). */
export function forgetParsedCertificates() {
  parsed.clear();
}

/** "CN=…" of a certificate's subject (the whole name when it has no CN), safe to print. */
export function subject(certificate) {
  const cn = certificate.subject.typesAndValues.find((rdn) => rdn.type === "2.5.4.3");
  return "CN=" + printable(cn ? cn.value.valueBlock.value : distinguishedName(certificate));
}

/** The subject as RFC 2253 writes it (most specific first), e.g. "CN=x,O=Amazon,C=US". */
export function distinguishedName(certificate) {
  return certificate.subject.typesAndValues
    .map((rdn) => `${SHORT_NAMES[rdn.type] ?? rdn.type}=${rdn.value.valueBlock.value}`)
    .reverse()
    .join(",");
}

function pemToDer(pem) {
  const match = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(String(pem));
  return match ? fromBase64(match[1]) : null;
}
