// Regenerates src/test/resources/transactions/MinimalToken.bin from MinimalToken.sol.
// Not run by the tests (they deploy the committed bytecode and compile nothing). To regenerate:
//   cd "$(mktemp -d)" && npm install solc@0.8.28 && node <repo>/src/test/js/compile-token.mjs <repo>
// solc is resolved from the current directory, so the project's own dependencies stay unchanged.
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const repo = process.argv[2] ?? ".";
const dir = join(repo, "src/test/resources/transactions");
const solc = createRequire(join(process.cwd(), "/"))("solc");
const input = {
  language: "Solidity",
  sources: { "MinimalToken.sol": { content: readFileSync(join(dir, "MinimalToken.sol"), "utf8") } },
  settings: {
    optimizer: { enabled: true, runs: 200 },
    // paris: no PUSH0/MCOPY, so the token deploys on any EVM chain configuration anvil offers.
    evmVersion: "paris",
    metadata: { bytecodeHash: "none" },
    outputSelection: { "*": { MinimalToken: ["evm.bytecode.object"] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors ?? []).filter((e) => e.severity === "error");
if (errors.length > 0) {
  console.error(errors.map((e) => e.formattedMessage).join("\n"));
  process.exit(1);
}
const bytecode = output.contracts["MinimalToken.sol"].MinimalToken.evm.bytecode.object;
writeFileSync(join(dir, "MinimalToken.bin"), "0x" + bytecode + "\n");
console.log(`solc ${solc.version()}: ${bytecode.length / 2} bytes written to MinimalToken.bin`);
