// Independent client of the agent's HTTPS (Node's own TLS, no Java): connects, compares the
// SHA-256 of the server's DER SubjectPublicKeyInfo with the pin given (base64, as curl's
// sha256//…) BEFORE sending anything, then GETs the path and checks the signed body with
// `canonicalize` and ethers. Usage: node https-pinned.mjs HOST PORT PATH PIN_BASE64
// Prints {pin, recovered, body}; exits 3 naming the mismatch when the key is not the pinned one.
import tls from "node:tls";
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { verifyMessage } from "ethers";

const [host, port, path, pin] = process.argv.slice(2);
const socket = tls.connect({ host, port: Number(port), rejectUnauthorized: false });
socket.on("secureConnect", () => {
  // The DER SubjectPublicKeyInfo (the legacy `pubkey` is only the raw point for EC keys).
  const spki = socket.getPeerX509Certificate().publicKey.export({ type: "spki", format: "der" });
  const presented = createHash("sha256").update(spki).digest("base64");
  if (presented !== pin) {
    process.stderr.write(`pin mismatch: the server's key is sha256//${presented}, pinned sha256//${pin}\n`);
    socket.destroy();
    process.exit(3);
  }
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
});
const chunks = [];
socket.on("data", (chunk) => chunks.push(chunk));
socket.on("error", (e) => {
  process.stderr.write(`tls error: ${e.message}\n`);
  process.exit(2);
});
socket.on("end", () => {
  const text = Buffer.concat(chunks).toString("utf8");
  const raw = text.slice(text.indexOf("\r\n\r\n") + 4);
  const body = JSON.parse(raw);
  const { signature, ...unsigned } = body;
  const recovered = verifyMessage(canonicalize(unsigned), signature);
  process.stdout.write(JSON.stringify({ pin: `sha256//${pin}`, recovered, body }));
});
