// Signed answers (DESIGN §3) signed here with ethers, checked by the module: a good one passes every
// step; a change to any member, another signer, another request or another client nonce fails the
// step that covers it.
import { test } from "node:test";
import assert from "node:assert/strict";
import canonicalize from "canonicalize";
import { Wallet, keccak256, toUtf8Bytes } from "ethers";
import { checkAnswer, verifySignedBody } from "../src/index.js";

const agent = Wallet.createRandom();
const requestBody = '{"messages":[{"role":"user","content":"hi"}]}';

async function signed(overrides = {}) {
  const body = {
    tee_name: "js-test",
    signer: agent.address,
    timestamp: 1796198571888,
    status: 200,
    request: { method: "POST", path: "/api/v1/prompt", query: "a=1", body_hash: keccak256(toUtf8Bytes(requestBody)) },
    client_nonce: "n-42",
    response: { content: "hello", nested: { signature: "0xnot-top-level" } },
    amount_wei: "90071992547409930",
    ...overrides,
  };
  body.signature = await agent.signMessage(canonicalize(body));
  return JSON.stringify(body);
}

const expect = {
  agent: agent.address,
  request: { method: "POST", path: "/api/v1/prompt", query: "a=1", body: requestBody },
  clientNonce: "n-42",
};

const outcomes = (steps) => steps.map((step) => `${step.outcome} ${step.check}`);

test("a correctly signed answer passes signature, signer, request and client nonce", async () => {
  const steps = checkAnswer(await signed(), expect);
  assert.deepEqual(outcomes(steps), ["passed answer signature", "passed answer signer", "passed answer request", "passed answer client nonce"]);
});

test("changing any member after signing fails the signature", async () => {
  const text = await signed();
  const body = JSON.parse(text);
  for (const name of Object.keys(body).filter((n) => n !== "signature")) {
    const tampered = { ...body, [name]: name === "status" ? 201 : typeof body[name] === "object" ? { ...body[name], extra: 1 } : body[name] + "0" };
    const steps = checkAnswer(JSON.stringify(tampered), expect);
    assert.deepEqual(outcomes(steps), ["failed answer signature"], name);
  }
  assert.equal(verifySignedBody(text.replace('"hello"', '"hellO"')), null);
  assert.equal(verifySignedBody("not json"), null);
  assert.equal(verifySignedBody("[1]"), null);
});

test("an answer signed by another key than the attested agent fails the signer step", async () => {
  const steps = checkAnswer(await signed(), { ...expect, agent: Wallet.createRandom().address });
  assert.equal(steps[1].outcome, "failed");
  assert.match(steps[1].detail, /^signed by 0x[0-9a-fA-F]{40}, not by the attested agent/);
});

test("an answer to another request fails the request step, naming what differs", async () => {
  const cases = [
    [{ method: "GET" }, /method is "POST", expected "GET"/],
    [{ path: "/api/v1/variables" }, /path is "\/api\/v1\/prompt", expected "\/api\/v1\/variables"/],
    [{ query: null }, /query is "a=1", expected null/],
    [{ body: requestBody + " " }, /body_hash is "0x[0-9a-f]{64}", expected "0x[0-9a-f]{64}"/],
  ];
  for (const [change, reason] of cases) {
    const steps = checkAnswer(await signed(), { ...expect, request: { ...expect.request, ...change } });
    const request = steps.find((step) => step.check === "answer request");
    assert.equal(request.outcome, "failed");
    assert.match(request.detail, reason);
  }
});

test("an answer that does not echo the client's nonce fails the client nonce step", async () => {
  const steps = checkAnswer(await signed({ client_nonce: null }), expect);
  assert.deepEqual(outcomes(steps).at(-1), "failed answer client nonce");
});
