// Byte helpers shared by the verifier: hex, base64 and constant-time comparison, the same in Node
// and browsers (no Buffer).

export function toHex(bytes) {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Bytes of a hex string, with or without 0x; null when it is not hex of whole bytes. */
export function fromHex(text) {
  const hex = String(text ?? "").trim().replace(/^0x/i, "");
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Bytes of standard base64 (no URL alphabet); null when it is not base64. */
export function fromBase64(text) {
  const clean = String(text ?? "").replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return null;
  const binary = atob(clean);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Compares without an early exit, so timing does not tell where two values differ. */
export function sameBytes(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

export async function sha256(bytes) {
  return new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", bytes));
}

/** Instant as Java prints it: ISO-8601 UTC, milliseconds only when not zero. */
export function isoInstant(millis) {
  return new Date(millis).toISOString().replace(".000Z", "Z");
}

/** Text safe to show (as the Java verifier prints it): at most 64 characters, controls as "?". */
export function printable(text, limit = 64) {
  const s = String(text);
  const shortened = s.length > limit ? s.slice(0, limit) + "…" : s;
  return shortened.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}
