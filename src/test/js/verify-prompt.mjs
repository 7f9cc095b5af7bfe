// Independent check of signed prompt answers (DESIGN §4) with code we did not write: ethers v6 and
// `canonicalize` (RFC 8785). For each answer it recovers the signer (EIP-191 over the JCS of the
// body without `signature`), rebuilds the exact body the agent sent to the provider from the signed
// members — {...parameters, model, messages: [system_prompt as a system message, ...messages],
// tools} in canonical JSON — and hashes it; for a stream it also hashes every byte before the
// signed event. Input on stdin: a JSON array of {answer, stream?} (raw texts). Output: a JSON array
// of {recovered, signer, rebuilt_request_hash, stream_hash}.
import canonicalize from "canonicalize";
import { keccak256, toUtf8Bytes, verifyMessage } from "ethers";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const items = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const results = items.map(({ answer, stream }) => {
  const body = JSON.parse(answer);
  const { signature, ...unsigned } = body;
  const recovered = verifyMessage(canonicalize(unsigned), signature);
  let rebuilt = null;
  if (body.parameters) {
    const system =
      body.system_prompt == null ? [] : [{ role: "system", content: body.system_prompt }];
    const upstream = { ...body.parameters, model: body.model, messages: [...system, ...body.messages] };
    if (body.tools != null) upstream.tools = body.tools;
    rebuilt = keccak256(toUtf8Bytes(canonicalize(upstream)));
  }
  let streamHash = null;
  if (stream != null) {
    const at = stream.lastIndexOf("event: signed\n");
    streamHash = keccak256(toUtf8Bytes(stream.slice(0, at)));
  }
  return { recovered, signer: body.signer, rebuilt_request_hash: rebuilt, stream_hash: streamHash };
});
process.stdout.write(JSON.stringify(results));
