// Independent check of the agent's signed answers (DESIGN §3) with code we did not write:
// `canonicalize` (RFC 8785) and ethers v6 `verifyMessage` (EIP-191).
// Input on stdin: a JSON array of raw response bodies (strings). Output: a JSON array with, for
// each body, {recovered, signer} where recovered is the address that signed it.
import canonicalize from "canonicalize";
import { verifyMessage } from "ethers";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const bodies = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const results = bodies.map((raw) => {
  const body = JSON.parse(raw);
  const { signature, ...unsigned } = body;
  const recovered = verifyMessage(canonicalize(unsigned), signature);
  return { recovered, signer: body.signer };
});
process.stdout.write(JSON.stringify(results));
