// The rule for user_data preimage members, on the cases the Java verifier's UserDataPreimageTest
// reads too (src/test/resources/attestation/preimage-cases.json): only members the verifier knows
// how to check, each present as text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { PREIMAGE_MEMBERS, preimageProblems } from "../src/index.js";
import { PROJECT_DIR } from "./fixtures.js";

const CASES = JSON.parse(readFileSync(PROJECT_DIR + "src/test/resources/attestation/preimage-cases.json", "utf8"));

test("the known members are the four the agent commits to", () => {
  assert.deepEqual([...PREIMAGE_MEMBERS], ["tee_name", "operator", "address", "state_hash"]);
});

for (const c of CASES) {
  test(`preimage: ${c.name}`, () => {
    assert.deepEqual(preimageProblems(c.preimage), c.problems);
  });
}

test("a preimage that is not an object is named as such", () => {
  for (const value of [null, [], "x", 1]) assert.deepEqual(preimageProblems(value), ["the preimage is not a JSON object"]);
});
