// Independent EIP-712 side of operator command batches (DESIGN §5), with ethers v6 only.
// Usage: node eip712-batch.mjs <hash|sign|verify>; stdin is a JSON object:
//   hash:   {domain, batches: [{commands, nonce, deadline}]}        -> [digest hex, ...]
//   sign:   {domain, key, batch: {commands, nonce, deadline}}        -> {signature}
//   verify: {domain, batch: {commands, nonce, deadline}, signature}  -> {recovered}
// ethers wants `types` without the EIP712Domain entry; it derives the domain type itself.
import { TypedDataEncoder, Wallet, verifyTypedData } from "ethers";

const types = {
  CommandBatch: [
    { name: "commands", type: "VariableCommand[]" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  VariableCommand: [
    { name: "function", type: "string" },
    { name: "name", type: "string" },
    { name: "value", type: "string" },
    { name: "hidden", type: "bool" },
    { name: "immutable", type: "bool" },
  ],
};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const mode = process.argv[2];

let output;
if (mode === "hash") {
  output = input.batches.map((batch) => TypedDataEncoder.hash(input.domain, types, batch));
} else if (mode === "sign") {
  const signature = await new Wallet(input.key).signTypedData(input.domain, types, input.batch);
  output = { signature };
} else if (mode === "verify") {
  output = { recovered: verifyTypedData(input.domain, types, input.batch, input.signature) };
} else {
  throw new Error("mode must be hash, sign or verify");
}
process.stdout.write(JSON.stringify(output));
