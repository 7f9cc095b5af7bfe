// Runs the JS verifier against a running agent, for the Java/JS comparison test:
// stdin {url, root_pem: PEM or null (AWS), pcrs: {PCRn: hex}, require_locked} → {steps, verdict}
// on stdout.
import { awsRoot, parseExpectedPcrs, rootFromPem, verifyAgent } from "../src/index.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const result = await verifyAgent(input.url, {
  root: input.root_pem ? await rootFromPem(input.root_pem) : await awsRoot(),
  expectedPcrs: parseExpectedPcrs(input.pcrs ?? {}),
  requireLocked: input.require_locked === true,
});
process.stdout.write(JSON.stringify({ steps: result.steps, verdict: result.verdict.text }));
