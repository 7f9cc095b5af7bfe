// What the JS verifier costs: full verifications per second of the real AWS document (COSE ES384,
// 5-certificate chain at the document's time, PCRs, nonce), with its certificates parsed before and
// never seen, against bare WebCrypto ES384 verifies of a message of the same size, interleaved
// round by round in the same run; median of 9 rounds after 3 warm-up rounds.
//   node verifier-js/bench.mjs [operations per round]   (default 100)
import { awsRoot, checkDocument, fromHex, parseExpectedPcrs, verdict } from "./src/index.js";
import { forgetParsedCertificates } from "./src/roots.js";
import { PROD } from "./test/fixtures.js";

const operations = Number(process.argv[2] ?? 100);
const subtle = globalThis.crypto.subtle;
const document = PROD.bytes();
const root = await awsRoot();
const options = { root, expectedPcrs: parseExpectedPcrs(PROD.pcrs), nonce: fromHex(PROD.nonce) };
const keys = await subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, false, ["sign", "verify"]);
const message = globalThis.crypto.getRandomValues(new Uint8Array(document.length - 96));
const signature = await subtle.sign({ name: "ECDSA", hash: "SHA-384" }, keys.privateKey, message);

async function rate(fn) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < operations; i++) await fn();
  return operations / (Number(process.hrtime.bigint() - start) / 1e9);
}
const baseline = () => subtle.verify({ name: "ECDSA", hash: "SHA-384" }, keys.publicKey, signature, message);
const full = async () => {
  if (!verdict((await checkDocument(document, options)).steps).verified) throw new Error("not verified");
};
const cold = async () => {
  forgetParsedCertificates();
  await full();
};
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rounds = { baseline: [], full: [], cold: [] };
for (let round = 0; round < 12; round++) {
  const measured = { baseline: await rate(baseline), full: await rate(full), cold: await rate(cold) };
  if (round >= 3) for (const name of Object.keys(rounds)) rounds[name].push(measured[name]);
}
const b = median(rounds.baseline);
const line = (label, value) => console.log(`${label.padEnd(52)}${value.toFixed(0).padStart(6)} docs/s  (${(value / b).toFixed(2)} x baseline)`);
console.log(`${`baseline: ES384 verify (${message.length} B, WebCrypto)`.padEnd(52)}${b.toFixed(0).padStart(6)} ops/s`);
line("full verification, real AWS doc (5 certs)", median(rounds.full));
line("full verification, certificates never seen before", median(rounds.cold));
