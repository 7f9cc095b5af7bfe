// Independent side of the agent's transactions (DESIGN §4/§5), with ethers v6 only.
// Usage: node ethers-transactions.mjs <decode|sign|authorize>; stdin is JSON:
//   decode:    ["0x…raw", …]                         -> [{type, chainId, nonce, to, value, data,
//                                                         gasLimit, gasPrice, maxFeePerGas,
//                                                         maxPriorityFeePerGas, from, hash}, …]
//   sign:      {key, transactions: [{…ethers fields}]} -> ["0x…serialized", …]
//   authorize: {key, domain, request: {to, value, data, chainId, maxFeeWei, broadcast, nonce,
//               deadline}}                             -> {signature, digest}
//   fill:      the same, request with fillNonce         -> {signature, digest} of a FillRequest
// Amounts travel as decimal strings both ways (JSON numbers would lose precision).
import { Transaction, TypedDataEncoder, Wallet } from "ethers";
import { SIGN_REQUEST_TYPES } from "../../../scripts/sign-request.mjs";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const mode = process.argv[2];
const text = (v) => (v === null || v === undefined ? null : v.toString());

let output;
if (mode === "decode") {
  output = input.map((raw) => {
    const tx = Transaction.from(raw);
    return {
      type: tx.type,
      chainId: text(tx.chainId),
      nonce: text(tx.nonce),
      to: tx.to,
      value: text(tx.value),
      data: tx.data,
      gasLimit: text(tx.gasLimit),
      gasPrice: tx.type === 0 ? text(tx.gasPrice) : null,
      maxFeePerGas: text(tx.maxFeePerGas),
      maxPriorityFeePerGas: text(tx.maxPriorityFeePerGas),
      from: tx.from,
      hash: tx.hash,
    };
  });
} else if (mode === "sign") {
  const wallet = new Wallet(input.key);
  output = [];
  for (const tx of input.transactions) output.push(await wallet.signTransaction(tx));
} else if (mode === "authorize") {
  const wallet = new Wallet(input.key);
  const signature = await wallet.signTypedData(input.domain, SIGN_REQUEST_TYPES, input.request);
  const digest = TypedDataEncoder.hash(input.domain, SIGN_REQUEST_TYPES, input.request);
  output = { signature, digest };
} else if (mode === "fill") {
  // Written here from the README's type string, not taken from the agent's code.
  const types = {
    FillRequest: [
      { name: "to", type: "address" },
      { name: "value", type: "uint256" },
      { name: "data", type: "bytes" },
      { name: "chainId", type: "uint256" },
      { name: "maxFeeWei", type: "uint256" },
      { name: "broadcast", type: "bool" },
      { name: "fillNonce", type: "uint256" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  };
  const wallet = new Wallet(input.key);
  const signature = await wallet.signTypedData(input.domain, types, input.request);
  const digest = TypedDataEncoder.hash(input.domain, types, input.request);
  output = { signature, digest };
} else {
  throw new Error("mode must be decode, sign, authorize or fill");
}
process.stdout.write(JSON.stringify(output));
