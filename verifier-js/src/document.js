// A Nitro attestation document as AWS specifies it: the COSE_Sign1 envelope ({1: -35} = ES384,
// empty unprotected header, 96-byte r‖s signature) and the payload's fields with their types and
// sizes. Parsing proves the shape only; attestation.js proves who signed it. Every failure is a
// DocumentError worded as the Java verifier words it: the envelope's under the "signature" check,
// a payload field of the wrong type or size under "fields" (as dev.teeagent.attestation
// .AttestationDocument reports it).
import { encode } from "cborg";
import { Check } from "./checks.js";
import { decodeStrict, CborError } from "./cbor.js";
import { printable } from "./bytes.js";

export const MAX_DOCUMENT_BYTES = 32 * 1024;
const SIGNATURE_BYTES = 96;
const ES384 = -35;
const COSE_SIGN1_TAG = 0xd2;
const MAX_PCRS = 32;
const MAX_CERTIFICATE_BYTES = 1024;
const MAX_CABUNDLE = 16;
/** AWS's CDDL: public_key, user_data and nonce are each 0 to 1024 bytes (an empty public_key too). */
const MAX_OPTIONAL_FIELD_BYTES = 1024;
const PCR_SIZES = new Set([32, 48, 64]);
const FIELDS = new Set(["module_id", "digest", "timestamp", "pcrs", "certificate", "cabundle", "public_key", "user_data", "nonce"]);

export class DocumentError extends Error {
  constructor(message, check = Check.SIGNATURE) {
    super(message);
    this.check = check;
  }
}

/** {protectedHeader, payload, signature, toBeSigned} of a COSE_Sign1 document. */
export function parseCoseSign1(document) {
  if (!document || document.length === 0) throw new DocumentError("the document is empty");
  if (document.length > MAX_DOCUMENT_BYTES) {
    throw new DocumentError(`the document is larger than ${MAX_DOCUMENT_BYTES} bytes`);
  }
  const untagged = document[0] === COSE_SIGN1_TAG ? document.subarray(1) : document;
  const items = cbor(untagged);
  if (!Array.isArray(items) || items.length !== 4) {
    throw new DocumentError("not a COSE_Sign1 structure (an array of 4 items)");
  }
  const [protectedHeader, unprotected, payload, signature] = items;
  if (!(protectedHeader instanceof Uint8Array)) {
    throw new DocumentError("COSE_Sign1 protected header is not a byte string");
  }
  if (!(unprotected instanceof Map) || unprotected.size !== 0) {
    throw new DocumentError("COSE_Sign1 unprotected header must be an empty map");
  }
  if (!(payload instanceof Uint8Array) || payload.length === 0) {
    throw new DocumentError("COSE_Sign1 payload is not a non-empty byte string");
  }
  if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_BYTES) {
    throw new DocumentError(`COSE_Sign1 signature is not a ${SIGNATURE_BYTES}-byte ES384 signature`);
  }
  const header = cbor(protectedHeader);
  if (!(header instanceof Map) || header.size !== 1 || header.get(1) !== ES384) {
    throw new DocumentError("COSE_Sign1 protected header is not {1: -35} (ES384)");
  }
  // Sig_structure = ["Signature1", protected, external_aad = h'', payload] (RFC 9052 §4.4).
  const toBeSigned = encode(["Signature1", protectedHeader, new Uint8Array(0), payload]);
  return { protectedHeader, payload, signature, toBeSigned };
}

/** The payload's fields: moduleId, digest, timestamp (ms), pcrs (Map index → bytes), certificate, cabundle, publicKey, userData, nonce (null when absent). */
export function parseAttestationDocument(payload) {
  const fields = cbor(payload, "payload: ");
  if (!(fields instanceof Map)) throw invalid("the payload is not a CBOR map");
  for (const key of fields.keys()) {
    if (typeof key !== "string" || !FIELDS.has(key)) throw invalid("unknown payload field " + describe(key));
  }
  const moduleId = text(fields, "module_id");
  if (moduleId.length === 0) throw invalid("module_id is empty");
  const digest = text(fields, "digest");
  if (digest !== "SHA384") throw invalid("digest is not SHA384");
  const timestamp = fields.get("timestamp");
  if (!(Number.isInteger(timestamp) && timestamp > 0)) throw invalid("timestamp is not a positive integer");
  return {
    moduleId,
    digest,
    timestamp,
    pcrs: pcrs(fields.get("pcrs")),
    certificate: bytes(fields.get("certificate"), "certificate", 1, MAX_CERTIFICATE_BYTES),
    cabundle: cabundle(fields.get("cabundle")),
    publicKey: optionalBytes(fields, "public_key", 0, MAX_OPTIONAL_FIELD_BYTES),
    userData: optionalBytes(fields, "user_data", 0, MAX_OPTIONAL_FIELD_BYTES),
    nonce: optionalBytes(fields, "nonce", 0, MAX_OPTIONAL_FIELD_BYTES),
  };
}

/** A debug-mode enclave reports PCR0 as all zeros (its memory can be read by the host). */
export function isDebugMode(doc) {
  const pcr0 = doc.pcrs.get(0);
  return pcr0 !== undefined && pcr0.every((b) => b === 0);
}

function pcrs(value) {
  if (!(value instanceof Map) || value.size === 0 || value.size > MAX_PCRS) {
    throw invalid(`pcrs is not a map of 1 to ${MAX_PCRS} entries`);
  }
  const out = new Map();
  for (const [index, pcr] of [...value].sort(([a], [b]) => Number(a) - Number(b))) {
    if (!Number.isInteger(index) || index < 0 || index >= MAX_PCRS) {
      throw invalid(`PCR index ${describe(index)} is not an integer in 0..31`);
    }
    if (!(pcr instanceof Uint8Array) || !PCR_SIZES.has(pcr.length)) {
      throw invalid(`PCR${index} is not a byte string of 32, 48 or 64 bytes`);
    }
    out.set(index, pcr);
  }
  return out;
}

function cabundle(value) {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_CABUNDLE) {
    throw invalid(`cabundle is not an array of 1 to ${MAX_CABUNDLE} certificates`);
  }
  return value.map((item) => bytes(item, "cabundle entry", 1, MAX_CERTIFICATE_BYTES));
}

function optionalBytes(fields, name, min, max) {
  const value = fields.get(name);
  return value === undefined || value === null ? null : bytes(value, name, min, max);
}

function bytes(value, name, min, max) {
  if (!(value instanceof Uint8Array) || value.length < min || value.length > max) {
    throw invalid(`${name} is not a byte string of ${min} to ${max} bytes`);
  }
  return value;
}

function text(fields, name) {
  const value = fields.get(name);
  if (typeof value !== "string") throw invalid(`${name} is missing or not text`);
  return value;
}

function describe(key) {
  return typeof key === "string" ? `"${printable(key)}"` : String(key);
}

function cbor(bytes, prefix = "") {
  try {
    return decodeStrict(bytes);
  } catch (e) {
    if (e instanceof CborError) throw new DocumentError(`${prefix}malformed CBOR: ${e.message}`);
    throw e;
  }
}

function invalid(reason) {
  return new DocumentError(reason, Check.FIELDS);
}
