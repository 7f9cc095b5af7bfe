// Adds an `authorization` to a POST /sign-transaction body (DESIGN §5): an EIP-712 SignRequest signed
// with ethers by the operator or an address in tx_api_signers. The key comes from the environment
// variable TEE_SIGNER_KEY (hex), never from a flag. The domain and the next nonce are read from the
// agent's /config (a wrong answer there only makes the agent refuse the request).
//
//   node scripts/authorize-transaction.mjs [--url http://127.0.0.1:7047] [--max-fee-wei N]
//        [--valid-seconds 600] < body.json > authorized.json
//
// --max-fee-wei caps gas limit × max fee per gas (default 1e15 wei); the agent refuses more.
import { Wallet } from "ethers";
import { parseArgs } from "node:util";
import { SIGN_REQUEST_TYPES } from "./sign-request.mjs";

const { values: args } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:7047" },
    "max-fee-wei": { type: "string", default: "1000000000000000" },
    "valid-seconds": { type: "string", default: "600" },
  },
});
if (!process.env.TEE_SIGNER_KEY) {
  console.error("set TEE_SIGNER_KEY to the operator's or API signer's private key (hex)");
  process.exit(2);
}
const wallet = new Wallet(process.env.TEE_SIGNER_KEY.trim());
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const config = await (await fetch(`${args.url}/api/v1/config`)).json();

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
