// Runs the JS verifier on documents given as JSON on stdin, for the Java/JS comparison test:
// [{document: base64, root_pem: PEM or null (AWS), at: ms or null (document time), pcrs: {PCRn: hex},
//   nonce: hex or null, allow_debug: bool}] → [{steps: [{check, outcome, detail}], verdict}] on stdout.
import { awsRoot, checkDocument, fromBase64, fromHex, parseExpectedPcrs, rootFromPem, verdict } from "../src/index.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const cases = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const aws = await awsRoot();
const results = [];
for (const item of cases) {
  const report = await checkDocument(fromBase64(item.document), {
    root: item.root_pem ? await rootFromPem(item.root_pem) : aws,
    at: item.at ?? null,
    expectedPcrs: parseExpectedPcrs(item.pcrs ?? {}),
    nonce: item.nonce ? fromHex(item.nonce) : null,
    allowDebug: item.allow_debug === true,
  });
  results.push({ steps: report.steps, verdict: verdict(report.steps).text });
}
process.stdout.write(JSON.stringify(results));
