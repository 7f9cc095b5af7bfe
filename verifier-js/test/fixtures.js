// The real AWS Nitro documents the Java tests use (src/test/resources/attestation, byte-identical
// to shared/fixtures/attestation), with their own times and values, and helpers that re-encode a
// document with one thing changed while keeping AWS's signature.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { decode, encode } from "cborg";

export const PROJECT_DIR = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURES = PROJECT_DIR + "src/test/resources/attestation/";

export const PROD = {
  bytes: () => new Uint8Array(readFileSync(FIXTURES + "nitro_prod_2025-02-21.cbor")),
  time: 1740109477116,
  pcrs: {
    PCR0: "294e8442cb9eccf0a6e0f7052cf43b2d294f557628a55d7ba7b0137aa13d944c90bd5f627cb6de29c60b7b861e790ea3",
    PCR1: "0343b056cd8485ca7890ddd833476d78460aed2aa161548e4e26bedf321726696257d623e8805f3f605946b3d8b0c6aa",
    PCR2: "4e805c51312651e9aebd8ea6bed35750f6c21d94110fcc02db66bbd321f605eaf863ba407e513ea93dc3b2b3f9f6922d",
  },
  nonce: "0123456789abcdef0123456789abcdef01234567",
};

export const DEBUG = {
  bytes: () => new Uint8Array(readFileSync(FIXTURES + "nitro_debug_2022-10-12.cbor")),
  time: 1665582606081,
};

export const AWS_ROOT_PEM_FILE = PROJECT_DIR + "src/main/resources/attestation/aws_nitro_enclaves_root_g1.pem";

const OPTIONS = { useMaps: true };
const KEEP_ORDER = { mapSorter: () => 0 };

/** The document's four COSE items and its payload as a Map. */
export function open(document) {
  const items = decode(document, OPTIONS);
  return { items, payload: decode(items[2], OPTIONS) };
}

/** The document with its payload changed by `edit(map)` and re-encoded; the signature is AWS's. */
export function withPayload(document, edit) {
  const { items, payload } = open(document);
  edit(payload);
  return encode([items[0], items[1], encode(payload, KEEP_ORDER), items[3]]);
}

/** `payload` (a Map, left unchanged) with the given members replaced, encoded in its own order. */
export function reencoded(payload, members) {
  const copy = new Map(payload);
  for (const [name, value] of Object.entries(members)) copy.set(name, value);
  return encode(copy, KEEP_ORDER);
}

/** The document with COSE item `index` replaced. */
export function withItem(document, index, value) {
  const { items } = open(document);
  items[index] = value;
  return encode(items);
}

export function flipped(bytes, at) {
  const copy = Uint8Array.from(bytes);
  copy[at] ^= 0x01;
  return copy;
}
