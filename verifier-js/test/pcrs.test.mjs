// Expected PCRs as users give them: `make eif`'s pcrs.json, nitro-cli's whole output, or pasted lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseExpectedPcrs, toHex } from "../src/index.js";

const a = "ab".repeat(48);
const b = "0x" + "cd".repeat(48);

test("pcrs.json, nitro-cli's Measurements and pasted lines give the same PCRs", () => {
  const forms = [
    `{"HashAlgorithm": "Sha384 { ... }", "PCR0": "${a}", "PCR8": "${b}"}`,
    JSON.stringify({ Measurements: { HashAlgorithm: "Sha384 { ... }", PCR0: a, PCR8: b } }),
    `  PCR0 ${a}\n  PCR8 ${b}\n`,
    `PCR0=${a}\nPCR8: ${b}`,
    { PCR0: a, PCR8: b },
  ];
  for (const form of forms) {
    const pcrs = parseExpectedPcrs(form);
    assert.deepEqual([...pcrs.keys()], [0, 8]);
    assert.equal(toHex(pcrs.get(0)), a);
    assert.equal(toHex(pcrs.get(8)), "cd".repeat(48));
  }
});

test("nothing given is an empty set (the verdict is then: the code is not pinned)", () => {
  assert.equal(parseExpectedPcrs("").size, 0);
  assert.equal(parseExpectedPcrs(null).size, 0);
  assert.equal(parseExpectedPcrs("  \n").size, 0);
});

test("each mistake is named", () => {
  const cases = [
    ["{not json", /not JSON/],
    [`{"PCR0": "${a.slice(2)}"}`, /PCR0 must be 48 bytes of hex/],
    [`{"PCR32": "${a}"}`, /PCR index must be 0..31/],
    [`{"HashAlgorithm": "Sha256", "PCR0": "${a}"}`, /HashAlgorithm must be Sha384/],
    [`{"PCRX": "${a}"}`, /unexpected member "PCRX"/],
    ["[1]", /must be a JSON object/],
    ["PCR0 zz", /cannot read|must be 48 bytes/],
  ];
  for (const [input, message] of cases) assert.throws(() => parseExpectedPcrs(input), message);
});
