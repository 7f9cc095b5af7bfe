// Recomputes, from the agent's public answers only, the audit chain and state_hash (DESIGN §5)
// with code we did not write: canonicalize (RFC 8785) and ethers keccak256.
// stdin: {"variables": <GET /variables body>, "audit": <GET /audit body with every entry>}
// stdout: {entry_hashes, chain_ok, head, state_hash}
import canonicalize from "canonicalize";
import { keccak256, toUtf8Bytes } from "ethers";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { variables, audit } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const hash = (value) => keccak256(toUtf8Bytes(canonicalize(value)));

let prev = "0x" + "00".repeat(32);
let chainOk = true;
const entryHashes = [];
audit.entries.forEach((entry, i) => {
  const { index, prev: claimedPrev, kind, at, payload } = entry;
  if (index !== i || claimedPrev !== prev || Object.keys(entry).length !== 5) chainOk = false;
  prev = hash({ index, prev: claimedPrev, kind, at, payload });
  entryHashes.push(prev);
});
const stateHash = hash({
  audit_head: prev,
  operator_nonce: variables.operator_nonce,
  // Sorted by name here rather than trusting the answer's order.
  variables: [...variables.variables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
});
process.stdout.write(
  JSON.stringify({ entry_hashes: entryHashes, chain_ok: chainOk, head: prev, state_hash: stateHash }),
);
