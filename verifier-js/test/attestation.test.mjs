// The JS verifier on real AWS Nitro documents, at their own time: what passes, and every way the
// same bytes must fail — each payload field tampered (a wrong type or size under "fields"), the
// envelope tampered, a wrong root, an expired chain, missing or wrong PCRs, a wrong nonce, a debug
// enclave.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { AWS_ROOT_SHA256, awsRoot, checkDocument, parseExpectedPcrs, verdict, fromHex } from "../src/index.js";
import { rootFromPem } from "../src/roots.js";
import { parseAttestationDocument } from "../src/document.js";
import { decodeStrict } from "../src/cbor.js";
import { AWS_ROOT_PEM_FILE, DEBUG, PROD, flipped, open, reencoded, withItem, withPayload } from "./fixtures.js";

const root = await awsRoot();
const prodOptions = { root, expectedPcrs: parseExpectedPcrs(PROD.pcrs), nonce: fromHex(PROD.nonce) };

function outcomes(report) {
  return report.steps.map((step) => `${step.outcome} ${step.check}`);
}

function firstFailure(report) {
  return report.steps.find((step) => step.outcome !== "passed");
}

test("the carried AWS root is the one in the Java resources and has the pinned fingerprint", async () => {
  const fromResources = await rootFromPem(readFileSync(AWS_ROOT_PEM_FILE, "utf8"));
  assert.deepEqual(fromResources.der, root.der);
  assert.equal(root.fingerprint, AWS_ROOT_SHA256);
  assert.equal(root.fingerprint, "641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b");
});

test("the production document verifies at its own time with its PCRs and nonce", async () => {
  const report = await checkDocument(PROD.bytes(), prodOptions);
  assert.deepEqual(outcomes(report), ["passed signature", "passed chain", "passed debug", "passed pcrs", "passed nonce"]);
  assert.match(report.steps[1].detail, /5 certificates lead to the AWS Nitro Enclaves root .* all valid at 2025-02-21T03:44:37.116Z \(document time\)/);
  assert.equal(verdict(report.steps).text, "VERIFIED");
  assert.equal(report.attestation.doc.timestamp, PROD.time);
});

test("without expected PCRs the verdict is the code is not pinned, never a pass", async () => {
  const report = await checkDocument(PROD.bytes(), { root, nonce: fromHex(PROD.nonce) });
  const pcrs = report.steps.find((step) => step.check === "pcrs");
  assert.equal(pcrs.outcome, "failed");
  assert.equal(verdict(report.steps).verified, false);
  assert.match(verdict(report.steps).text, /^NOT VERIFIED: the code is not pinned \(no expected PCRs given\)/);
  const empty = await checkDocument(PROD.bytes(), { root, expectedPcrs: parseExpectedPcrs("") });
  assert.match(verdict(empty.steps).text, /^NOT VERIFIED: the code is not pinned \(no expected PCRs given\)/);
});

test("a wrong or absent expected PCR fails the pcrs check naming it", async () => {
  const wrong = parseExpectedPcrs({ ...PROD.pcrs, PCR1: "11".repeat(48) });
  const report = await checkDocument(PROD.bytes(), { ...prodOptions, expectedPcrs: wrong });
  assert.equal(firstFailure(report).check, "pcrs");
  assert.equal(firstFailure(report).detail, `PCR1 is ${PROD.pcrs.PCR1}, expected ${"11".repeat(48)}`);
  const absent = await checkDocument(PROD.bytes(), { ...prodOptions, expectedPcrs: parseExpectedPcrs({ PCR20: "00".repeat(48) }) });
  assert.equal(firstFailure(absent).detail, "PCR20 is absent from the document");
  assert.match(verdict(report.steps).text, /^NOT VERIFIED: pcrs check failed: PCR1 is/);
});

test("a nonce other than the document's fails the nonce check; a document without one too", async () => {
  const report = await checkDocument(PROD.bytes(), { ...prodOptions, nonce: fromHex("00" + PROD.nonce.slice(2)) });
  assert.equal(firstFailure(report).check, "nonce");
  const debug = await checkDocument(DEBUG.bytes(), { root, allowDebug: true, nonce: fromHex("01") });
  assert.equal(debug.steps.find((step) => step.check === "nonce").detail, "the document carries no nonce");
});

test("the chain is expired at any time after the document's few hours", async () => {
  for (const at of [Date.now(), PROD.time + 24 * 3600 * 1000]) {
    const report = await checkDocument(PROD.bytes(), { ...prodOptions, at });
    assert.deepEqual(outcomes(report), ["passed signature", "failed chain"]);
    assert.match(firstFailure(report).detail, /is not valid at .* \(valid .* \.\. .*\)/);
    assert.equal(report.attestation, null);
  }
  const before = await checkDocument(PROD.bytes(), { ...prodOptions, at: Date.UTC(2019, 0, 1) });
  assert.equal(firstFailure(before).check, "chain");
});

test("another root than the document's fails the chain check, naming both", async () => {
  const { payload } = open(PROD.bytes());
  const intermediate = payload.get("cabundle")[1];
  const pem = "-----BEGIN CERTIFICATE-----\n" + Buffer.from(intermediate).toString("base64") + "\n-----END CERTIFICATE-----\n";
  const other = await rootFromPem(pem);
  const report = await checkDocument(PROD.bytes(), { ...prodOptions, root: other });
  assert.deepEqual(outcomes(report), ["passed signature", "failed chain"]);
  assert.match(firstFailure(report).detail, /^cabundle\[0\] \(CN=aws.nitro-enclaves, sha256 641a0321.*\) is not the trusted root CN=.*ap-south-1.aws.nitro-enclaves/);
  assert.match(verdict(report.steps).text, /^NOT VERIFIED: chain check failed/);
});

test("the debug document is refused unless debug is allowed", async () => {
  const refused = await checkDocument(DEBUG.bytes(), { root });
  assert.deepEqual(outcomes(refused).slice(0, 3), ["passed signature", "passed chain", "failed debug"]);
  const allowed = await checkDocument(DEBUG.bytes(), { root, allowDebug: true, expectedPcrs: parseExpectedPcrs({ PCR0: "00".repeat(48) }) });
  assert.equal(verdict(allowed.steps).text, "VERIFIED");
});

// Each edit keeps AWS's types and sizes (so the signature check catches it) unless it breaks
// them, which the "fields" check names before any signature is looked at.
const TAMPERED_FIELDS = {
  module_id: ["signature", (p) => p.set("module_id", p.get("module_id") + "x")],
  digest: ["fields", (p) => p.set("digest", "SHA512")],
  timestamp: ["signature", (p) => p.set("timestamp", p.get("timestamp") + 1)],
  pcrs: ["signature", (p) => p.get("pcrs").get(0).set([0xff], 0)],
  certificate: ["signature", (p) => p.get("certificate").set([0x00], 300)],
  cabundle: ["signature", (p) => p.set("cabundle", p.get("cabundle").slice(0, 3))],
  public_key: ["signature", (p) => p.set("public_key", new TextEncoder().encode("dummY"))],
  user_data: ["signature", (p) => p.get("user_data").set([p.get("user_data")[0] ^ 1], 0)],
  nonce: ["signature", (p) => p.get("nonce").set([0xff], 0)],
  "an extra field": ["fields", (p) => p.set("extra", 1)],
  "a removed field": ["signature", (p) => p.delete("user_data")],
  "a 1024-byte user_data": ["signature", (p) => p.set("user_data", new Uint8Array(1024).fill(7))],
  "a 1024-byte nonce": ["signature", (p) => p.set("nonce", new Uint8Array(1024).fill(7))],
  "an empty public_key": ["signature", (p) => p.set("public_key", new Uint8Array(0))],
  "a 1025-byte user_data": ["fields", (p) => p.set("user_data", new Uint8Array(1025))],
  "a 1025-byte nonce": ["fields", (p) => p.set("nonce", new Uint8Array(1025))],
  "a 1025-byte public_key": ["fields", (p) => p.set("public_key", new Uint8Array(1025))],
  "a text user_data": ["fields", (p) => p.set("user_data", "hello")],
};

for (const [field, [check, edit]] of Object.entries(TAMPERED_FIELDS)) {
  test(`tampering with ${field} fails the ${check} check`, async () => {
    const report = await checkDocument(withPayload(PROD.bytes(), edit), prodOptions);
    assert.equal(report.steps.length, 1);
    assert.equal(firstFailure(report).check, check);
    assert.match(verdict(report.steps).text, new RegExp(`^NOT VERIFIED: ${check} check failed`));
  });
}

test("public_key, user_data and nonce may hold 0 to 1024 bytes each, as AWS's CDDL says", () => {
  const full = new Uint8Array(1024).fill(7);
  const { payload } = open(PROD.bytes());
  const doc = parseAttestationDocument(reencoded(payload, { public_key: new Uint8Array(0), user_data: full, nonce: full }));
  assert.equal(doc.publicKey.length, 0);
  assert.equal(doc.userData.length, 1024);
  assert.equal(doc.nonce.length, 1024);
  for (const field of ["public_key", "user_data", "nonce"]) {
    assert.throws(() => parseAttestationDocument(reencoded(payload, { [field]: new Uint8Array(1025) })), (e) => {
      assert.equal(e.check, "fields");
      assert.equal(e.message, `${field} is not a byte string of 0 to 1024 bytes`);
      return true;
    });
  }
});

test("re-encoding the payload unchanged keeps it valid (the tampering tests change only what they say)", async () => {
  const report = await checkDocument(withPayload(PROD.bytes(), () => {}), prodOptions);
  assert.equal(verdict(report.steps).text, "VERIFIED");
});

test("tampering with the envelope fails the signature check with the reason", async () => {
  const cases = [
    [withItem(PROD.bytes(), 0, new Uint8Array([0xa1, 0x01, 0x38, 0x23])), "COSE_Sign1 protected header is not {1: -35} (ES384)"],
    [withItem(PROD.bytes(), 1, new Map([[4, new Uint8Array(1)]])), "COSE_Sign1 unprotected header must be an empty map"],
    [withItem(PROD.bytes(), 3, new Uint8Array(95)), "COSE_Sign1 signature is not a 96-byte ES384 signature"],
    [new Uint8Array(0), "the document is empty"],
    [PROD.bytes().subarray(0, 100), null],
  ];
  for (const [document, reason] of cases) {
    const report = await checkDocument(document, prodOptions);
    assert.equal(firstFailure(report).check, "signature");
    if (reason) assert.equal(firstFailure(report).detail, reason);
  }
});

test("a flipped bit anywhere in the signature or the payload fails (the signature, or first the fields when a type breaks)", async () => {
  const document = PROD.bytes();
  const signatureStart = document.length - 96;
  for (let at = signatureStart; at < document.length; at += 7) {
    const report = await checkDocument(flipped(document, at), prodOptions);
    assert.equal(firstFailure(report)?.check, "signature", `flip at ${at}`);
  }
  for (let at = 20; at < signatureStart - 2; at += 61) {
    const report = await checkDocument(flipped(document, at), prodOptions);
    assert.equal(verdict(report.steps).verified, false, `flip at ${at}`);
    assert.ok(["signature", "fields"].includes(firstFailure(report).check), `flip at ${at}`);
  }
});

test("text that is not valid UTF-8 is malformed CBOR, refused under the signature check as in Java", async () => {
  assert.throws(() => decodeStrict(new Uint8Array([0x62, 0xc3, 0x28])), /text string is not valid UTF-8/);
  assert.equal(decodeStrict(new Uint8Array([0x62, 0xc3, 0xa9])), "é");
  // The payload's "SHA384" with its last byte made 0xb4: cborg alone would read "SHA38\ufffd".
  const document = PROD.bytes();
  document[Buffer.from(document).indexOf(Buffer.from("SHA384")) + 5] = 0xb4;
  const report = await checkDocument(document, prodOptions);
  assert.deepEqual(outcomes(report), ["failed signature"]);
  assert.match(report.steps[0].detail, /not valid UTF-8/);
});
