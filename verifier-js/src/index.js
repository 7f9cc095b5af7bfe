// TEE Agent verifier for JavaScript (Node 20+ and browsers): checks an agent's AWS Nitro
// attestation and its signed answers, trusting only the AWS root (or a root you name).
export { Check, line, verdict } from "./checks.js";
export { awsRoot, rootFromPem, AWS_ROOT_SHA256, RootError } from "./roots.js";
export { checkDocument } from "./attestation.js";
export { parseExpectedPcrs, PcrsError } from "./pcrs.js";
export { checkAnswer, verifySignedBody } from "./signed-answer.js";
export { verifyAgent, fetchSigned, curlPin } from "./agent.js";
export { PREIMAGE_MEMBERS, OPTIONAL_PREIMAGE_MEMBERS, preimageProblems } from "./preimage.js";
export { toHex, fromHex, fromBase64 } from "./bytes.js";
