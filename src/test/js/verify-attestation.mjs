// Independent check of an attestation document with code we did not write: `cborg` (a strict
// CBOR decoder/encoder), Node's crypto (OpenSSL) for ES384 and X.509, `canonicalize` (RFC 8785)
// and ethers for the address of the attested secp256k1 key.
// Input on stdin: {"document": base64, "root_pem": PEM, "at_ms": number, "preimage": object|null}.
// Output: what was found, with the result of each check.
import { X509Certificate, createHash, verify } from "node:crypto";
import { decode, encode } from "cborg";
import canonicalize from "canonicalize";
import { computeAddress, hexlify } from "ethers";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const cose = decode(Buffer.from(input.document, "base64"), { useMaps: true });
const [protectedHeader, unprotected, payloadBytes, signature] = cose;
const header = decode(protectedHeader, { useMaps: true });
const payload = decode(payloadBytes, { useMaps: true });

const sigStructure = encode(["Signature1", protectedHeader, new Uint8Array(0), payloadBytes]);
const leaf = new X509Certificate(Buffer.from(payload.get("certificate")));
const signatureValid = verify(
  "sha384",
  sigStructure,
  { key: leaf.publicKey, dsaEncoding: "ieee-p1363" },
  Buffer.from(signature),
);

const root = new X509Certificate(input.root_pem);
const bundle = payload.get("cabundle").map((der) => new X509Certificate(Buffer.from(der)));
const chain = [...bundle, leaf]; // root first, leaf last
const at = new Date(input.at_ms);
let chainValid = bundle[0].fingerprint256 === root.fingerprint256;
for (let i = 1; i < chain.length; i++) {
  chainValid &&= chain[i].checkIssued(chain[i - 1]) && chain[i].verify(chain[i - 1].publicKey);
}
for (const certificate of chain) {
  chainValid &&= new Date(certificate.validFrom) <= at && at <= new Date(certificate.validTo);
}

const hex = (bytes) => (bytes == null ? null : hexlify(bytes));
const publicKey = payload.get("public_key");
let userDataMatches = null;
if (input.preimage != null) {
  const expected = createHash("sha256").update(canonicalize(input.preimage), "utf8").digest();
  userDataMatches = hex(expected) === hex(payload.get("user_data"));
}
const pcrs = {};
for (const [index, value] of payload.get("pcrs")) pcrs[`PCR${index}`] = Buffer.from(value).toString("hex");

process.stdout.write(
  JSON.stringify({
    algorithm: header.get(1),
    unprotected_size: unprotected.size,
    keys: [...payload.keys()],
    signature_valid: signatureValid,
    chain_valid: chainValid,
    leaf_subject: leaf.subject,
    timestamp: Number(payload.get("timestamp")),
    pcrs,
    nonce: hex(payload.get("nonce")),
    public_key: hex(publicKey),
    address: publicKey != null && publicKey.length === 65 ? computeAddress(hex(publicKey)) : null,
    user_data: hex(payload.get("user_data")),
    user_data_matches: userDataMatches,
  }),
);
