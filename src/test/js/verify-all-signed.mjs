// Checks every signed answer the integration tests received (DESIGN §3) with code we did not
// write: `canonicalize` (RFC 8785) and ethers v6 `verifyMessage` (EIP-191). Usage:
//   node src/test/js/verify-all-signed.mjs target/signed-answers
// Each file holds one answer's exact body bytes (recorded by dev.teeagent.testing.SignedAnswers).
// Exits 1 naming every answer that does not verify, and when there is no answer at all (a check
// over nothing proves nothing).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import canonicalize from "canonicalize";
import { verifyMessage } from "ethers";
import { recordedAnswers } from "./recorded-answers.mjs";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: verify-all-signed.mjs <directory of recorded answers>");
  process.exit(2);
}
const files = recordedAnswers(dir, "verified");

// Strict UTF-8: a body that is not valid UTF-8 cannot be what was signed.
const utf8 = new TextDecoder("utf-8", { fatal: true });
const failures = [];
for (const name of files) {
  try {
    const body = JSON.parse(utf8.decode(readFileSync(join(dir, name))));
    const { signature, ...unsigned } = body;
    const recovered = verifyMessage(canonicalize(unsigned), signature);
    if (recovered.toLowerCase() !== String(body.signer).toLowerCase()) {
      failures.push(`${name}: signed by ${recovered}, claims ${body.signer}`);
    }
  } catch (e) {
    failures.push(`${name}: ${e.message}`);
  }
}
if (failures.length > 0) {
  console.error(`${failures.length} of ${files.length} signed answers do not verify:`);
  for (const failure of failures) console.error(`  ${failure}`);
  process.exit(1);
}
console.log(`all ${files.length} signed answers verify (canonicalize + ethers)`);
