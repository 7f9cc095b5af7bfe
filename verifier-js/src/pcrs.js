// Expected PCRs, by index: a pcrs.json as `make eif` writes it (nitro-cli's "Measurements", also
// accepted whole), or the lines `make eif` prints ("PCR0 <hex>"), pasted. Values are 48 bytes of
// hex, with or without 0x. Errors name what is wrong.
import { fromHex } from "./bytes.js";

const PCR_NAME = /^PCR(\d{1,2})$/;
const PCR_BYTES = 48;

export class PcrsError extends Error {}

/** Map index → bytes from pcrs.json text, a parsed object, or "PCRn hex" lines; empty text → empty map. */
export function parseExpectedPcrs(input) {
  if (input == null) return new Map();
  if (typeof input === "object") return fromObject(input);
  const text = String(input).trim();
  if (text === "") return new Map();
  if (text.startsWith("{") || text.startsWith("[")) {
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new PcrsError("pcrs file is not JSON");
    }
    return fromObject(parsed);
  }
  const pcrs = new Map();
  for (const raw of text.split(/\r?\n/)) {
    const entry = raw.trim();
    if (entry === "") continue;
    const match = /^(PCR\d{1,2})\s*[:=\s]\s*"?([0-9a-fA-Fx]+)"?,?$/.exec(entry);
    if (!match) throw new PcrsError(`cannot read "${entry.slice(0, 40)}": write one "PCRn <hex>" per line, or paste pcrs.json`);
    put(pcrs, match[1], match[2]);
  }
  return pcrs;
}

function fromObject(parsed) {
  let root = parsed;
  if (root && typeof root === "object" && Object.keys(root).length === 1 && "Measurements" in root) {
    root = root.Measurements;
  }
  if (!root || typeof root !== "object" || Array.isArray(root)) {
    throw new PcrsError('pcrs file must be a JSON object of "PCRn": "hex"');
  }
  const pcrs = new Map();
  for (const [name, value] of Object.entries(root)) {
    if (name === "HashAlgorithm") {
      if (typeof value !== "string" || !value.startsWith("Sha384")) {
        throw new PcrsError("pcrs file: HashAlgorithm must be Sha384");
      }
      continue;
    }
    if (!PCR_NAME.test(name) || typeof value !== "string") {
      throw new PcrsError(`pcrs file: unexpected member "${name.slice(0, 40)}"`);
    }
    put(pcrs, name, value);
  }
  return pcrs;
}

function put(pcrs, name, hex) {
  const index = Number(PCR_NAME.exec(name)[1]);
  if (index > 31) throw new PcrsError(`PCR index must be 0..31, not ${index}`);
  const bytes = fromHex(hex);
  if (!bytes || bytes.length !== PCR_BYTES || !/^(0x)?[0-9a-fA-F]+$/.test(hex.trim())) {
    throw new PcrsError(`${name} must be ${PCR_BYTES} bytes of hex`);
  }
  pcrs.set(index, bytes);
}
