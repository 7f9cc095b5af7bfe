// Adds an `authorization` to a POST /sign-transaction body (DESIGN §5): an EIP-712 SignRequest signed
// with ethers by the operator or an address in tx_api_signers. The key comes from the environment
// variable TEE_SIGNER_KEY (hex), never from a flag. The domain and the next nonce are read from the
// agent's /config (a wrong answer there only makes the agent refuse the request).
//
//   node scripts/authorize-transaction.mjs [--url http://127.0.0.1:7047] [--max-fee-wei N]
//        [--valid-seconds 600] < body.json > authorized.json
//
// --max-fee-wei caps gas limit × max fee per gas (default 1e15 wei); the agent refuses more.
// Without Node, `./tee-agent authorize` does the same after verifying the agent's attestation.
import { Wallet } from "ethers";
import { parseArgs } from "node:util";
import { SIGN_REQUEST_TYPES } from "./sign-request.mjs";

const USAGE = `usage: TEE_SIGNER_KEY=0x… node scripts/authorize-transaction.mjs [--url http://127.0.0.1:7047]
         [--max-fee-wei N] [--valid-seconds 600] < body.json > authorized.json
Adds the operator's or an API signer's authorization to a POST /sign-transaction body.`;

function fail(message) {
  console.error(`authorize-transaction: ${message}`);
  process.exit(2);
}

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      url: { type: "string", default: "http://127.0.0.1:7047" },
      "max-fee-wei": { type: "string", default: "1000000000000000" },
      "valid-seconds": { type: "string", default: "600" },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (error) {
  fail(`${error.message}; try --help`);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!process.env.TEE_SIGNER_KEY) {
  fail("set TEE_SIGNER_KEY to the operator's or API signer's private key (hex)");
}
let wallet;
try {
  wallet = new Wallet(process.env.TEE_SIGNER_KEY.trim());
} catch {
  fail("TEE_SIGNER_KEY is not a private key (32 bytes of hex)");
}
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
let body;
try {
  body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
} catch {
  fail("the body on stdin is not JSON: give a POST /sign-transaction body");
}
if (typeof body?.transaction !== "object" || body.transaction === null) {
  fail('the body has no "transaction" object: give a POST /sign-transaction body');
}
if (body.chain_id === undefined) {
  fail('the body has no chain_id, and an authorization signs the chain: add "chain_id": N to the body');
}
let config;
try {
  config = await (await fetch(`${args.url}/api/v1/config`)).json();
} catch {
  fail(`nothing answers at ${args.url} (or not with JSON) — is the agent running?`);
}

const isOperator = wallet.address.toLowerCase() === config.operator.toLowerCase();
const nonce = isOperator ? config.operator_nonce : (config.signer_nonces[wallet.address] ?? "0");
const tx = body.transaction;
const request = {
  to: tx.to,
  value: BigInt(tx.value ?? 0).toString(),
  data: tx.data ?? "0x",
  chainId: BigInt(body.chain_id).toString(),
  maxFeeWei: BigInt(args["max-fee-wei"]).toString(),
  broadcast: body.broadcast ?? true,
  nonce: String(nonce),
  deadline: String(Math.floor(Date.now() / 1000) + Number(args["valid-seconds"])),
};
const signature = await wallet.signTypedData(config.eip712_domain, SIGN_REQUEST_TYPES, request);
body.authorization = {
  nonce: request.nonce,
  deadline: request.deadline,
  max_fee_wei: request.maxFeeWei,
  signature,
};
process.stdout.write(JSON.stringify(body) + "\n");
