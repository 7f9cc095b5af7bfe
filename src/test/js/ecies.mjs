// Independent ECIES (npm eciesjs 0.5, default configuration) for the agent's hidden values.
// Usage: node ecies.mjs <encrypt|decrypt>; stdin is a JSON object:
//   encrypt: {public_key: "0x04…", plaintexts: ["0x…" hex bytes, …]} -> ["0x…" ciphertexts]
//   decrypt: {private_key: "0x…", ciphertexts: ["0x…", …]}           -> ["0x…" plaintexts]
import { encrypt, decrypt } from "eciesjs";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const hex = (bytes) => "0x" + Buffer.from(bytes).toString("hex");
const bytes = (text) => Buffer.from(text.replace(/^0x/, ""), "hex");

let output;
if (process.argv[2] === "encrypt") {
  const key = input.public_key.replace(/^0x/, "");
  output = input.plaintexts.map((p) => hex(encrypt(key, bytes(p))));
} else if (process.argv[2] === "decrypt") {
  const key = input.private_key.replace(/^0x/, "");
  output = input.ciphertexts.map((c) => hex(decrypt(key, bytes(c))));
} else {
  throw new Error("mode must be encrypt or decrypt");
}
process.stdout.write(JSON.stringify(output));
