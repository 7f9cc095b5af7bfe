// Strict CBOR for attestation documents, on cborg: integers, byte and text strings (valid UTF-8),
// arrays, maps with integer or text keys (kept apart: PCR indices are integers), booleans and null,
// definite or indefinite length. Tags, floats, undefined and other simple values are refused,
// duplicate keys too, and nothing may follow the item — the rules of the Java verifier's CborReader.
import { decode, Tokenizer, Type } from "cborg";

// cborg decodes text leniently (bad bytes become U+FFFD); the bytes it keeps are checked here.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

class StrictTokenizer extends Tokenizer {
  next() {
    const token = super.next();
    if (token.type === Type.tag) throw new CborError("CBOR tags are not accepted here");
    if (token.type === Type.float || token.type === Type.undefined) {
      throw new CborError("unsupported simple value or float");
    }
    if (token.type === Type.string && token.byteValue) {
      try {
        UTF8.decode(token.byteValue);
      } catch {
        throw new CborError("text string is not valid UTF-8");
      }
    }
    return token;
  }
}

export class CborError extends Error {}

/** The one item that spans all of `bytes`; throws CborError with a reason when it is not strict CBOR. */
export function decodeStrict(bytes) {
  let item;
  try {
    item = decode(bytes, {
      useMaps: true,
      rejectDuplicateMapKeys: true,
      allowUndefined: false,
      allowInfinity: false,
      allowNaN: false,
      tokenizer: new StrictTokenizer(bytes, { retainStringBytes: true }),
    });
  } catch (e) {
    throw e instanceof CborError ? e : new CborError(String(e.message).replace(/^CBOR decode error: /, ""));
  }
  checkKeys(item, 0);
  return item;
}

function checkKeys(item, depth) {
  if (depth > 16) throw new CborError("nested deeper than 16 levels");
  if (Array.isArray(item)) {
    for (const element of item) checkKeys(element, depth + 1);
  } else if (item instanceof Map) {
    for (const [key, value] of item) {
      if (!(typeof key === "string" || Number.isInteger(key) || typeof key === "bigint")) {
        throw new CborError("map keys must be integers or text");
      }
      checkKeys(value, depth + 1);
    }
  }
}
