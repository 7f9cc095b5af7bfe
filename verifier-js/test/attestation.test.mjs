// The JS verifier on real AWS Nitro documents, at their own time: what passes, and every way the
// same bytes must fail — each payload field tampered, the envelope tampered, a wrong root, an
// expired chain, missing or wrong PCRs, a wrong nonce, a debug enclave.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { AWS_ROOT_SHA256, awsRoot, checkDocument, parseExpectedPcrs, verdict, fromHex } from "../src/index.js";
import { rootFromPem } from "../src/roots.js";
import { AWS_ROOT_PEM_FILE, DEBUG, PROD, flipped, open, withItem, withPayload } from "./fixtures.js";

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

test("without expected PCRs the verdict is code not pinned, never a pass", async () => {
  const report = await checkDocument(PROD.bytes(), { root, nonce: fromHex(PROD.nonce) });
  const pcrs = report.steps.find((step) => step.check === "pcrs");
  assert.equal(pcrs.outcome, "failed");
  assert.equal(verdict(report.steps).verified, false);
  assert.match(verdict(report.steps).text, /^NOT VERIFIED: code not pinned/);
  const empty = await checkDocument(PROD.bytes(), { root, expectedPcrs: parseExpectedPcrs("") });
  assert.match(verdict(empty.steps).text, /^NOT VERIFIED: code not pinned/);
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

const TAMPERED_FIELDS = {
  module_id: (p) => p.set("module_id", p.get("module_id") + "x"),
  digest: (p) => p.set("digest", "SHA512"),
  timestamp: (p) => p.set("timestamp", p.get("timestamp") + 1),
  pcrs: (p) => p.get("pcrs").get(0).set([0xff], 0),
  certificate: (p) => p.get("certificate").set([0x00], 300),
  cabundle: (p) => p.set("cabundle", p.get("cabundle").slice(0, 3)),
  public_key: (p) => p.set("public_key", new TextEncoder().encode("dummY")),
  user_data: (p) => p.get("user_data").set([p.get("user_data")[0] ^ 1], 0),
  nonce: (p) => p.get("nonce").set([0xff], 0),
  "an extra field": (p) => p.set("extra", 1),
  "a removed field": (p) => p.delete("user_data"),
};

for (const [field, edit] of Object.entries(TAMPERED_FIELDS)) {
  test(`tampering with ${field} fails the signature check`, async () => {
    const report = await checkDocument(withPayload(PROD.bytes(), edit), prodOptions);
    assert.equal(report.steps.length, 1);
    assert.equal(firstFailure(report).check, "signature");
    assert.match(verdict(report.steps).text, /^NOT VERIFIED: signature check failed/);
  });
}

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

test("a flipped bit anywhere in the signature or the payload fails", async () => {
  const document = PROD.bytes();
  const signatureStart = document.length - 96;
  for (let at = signatureStart; at < document.length; at += 7) {
    const report = await checkDocument(flipped(document, at), prodOptions);
    assert.equal(firstFailure(report)?.check, "signature", `flip at ${at}`);
  }
  for (let at = 20; at < signatureStart - 2; at += 61) {
    const report = await checkDocument(flipped(document, at), prodOptions);
    assert.equal(verdict(report.steps).verified, false, `flip at ${at}`);
    assert.equal(firstFailure(report).check, "signature", `flip at ${at}`);
  }
});
