// Drives the dev-kms stand-in with AWS's own JavaScript client (@aws-sdk/client-kms), so that its
// wire protocol is checked by code we did not write. Each operation the agent uses is called once,
// plus the refusals the agent relies on.
// stdin: {endpoint, locked_policy, open_policy, document (base64 attestation document)}
// stdout: one JSON object of what each call returned (binary fields as base64).
import {
  KMSClient,
  CreateKeyCommand,
  DescribeKeyCommand,
  GenerateDataKeyCommand,
  DecryptCommand,
  GetKeyPolicyCommand,
  PutKeyPolicyCommand,
  ListGrantsCommand,
  CreateGrantCommand,
} from "@aws-sdk/client-kms";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const kms = new KMSClient({
  region: "us-east-1",
  endpoint: input.endpoint,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-checked-by-dev-kms" },
  maxAttempts: 1,
});
const b64 = (bytes) => (bytes === undefined ? null : Buffer.from(bytes).toString("base64"));
const context = { tee_name: "treasury", purpose: "sealed-identity" };
const recipient = {
  AttestationDocument: Buffer.from(input.document, "base64"),
  KeyEncryptionAlgorithm: "RSAES_OAEP_SHA_256",
};
const refusal = async (command) => {
  try {
    await kms.send(command);
    return "no error";
  } catch (e) {
    return `${e.name} ${e.$metadata?.httpStatusCode}`;
  }
};

const out = {};
const open = (await kms.send(new CreateKeyCommand({ Description: "open" }))).KeyMetadata;
out.open_key = { id: open.KeyId, arn: open.Arn, origin: open.Origin, state: open.KeyState };
const described = (await kms.send(new DescribeKeyCommand({ KeyId: open.Arn }))).KeyMetadata;
out.describe = { id: described.KeyId, spec: described.KeySpec, multi: described.MultiRegion };
const plain = await kms.send(
  new GenerateDataKeyCommand({ KeyId: open.KeyId, KeySpec: "AES_256", EncryptionContext: context }),
);
const decrypted = await kms.send(
  new DecryptCommand({ CiphertextBlob: plain.CiphertextBlob, EncryptionContext: context }),
);
out.plain = { generated: b64(plain.Plaintext), decrypted: b64(decrypted.Plaintext), key: decrypted.KeyId };
out.wrong_context = await refusal(
  new DecryptCommand({ CiphertextBlob: plain.CiphertextBlob, EncryptionContext: { tee_name: "x" } }),
);
await kms.send(new PutKeyPolicyCommand({ KeyId: open.KeyId, PolicyName: "default", Policy: input.open_policy }));
out.open_policy = (await kms.send(new GetKeyPolicyCommand({ KeyId: open.KeyId, PolicyName: "default" }))).Policy;
const grants = async (KeyId, Limit) => {
  const page = await kms.send(new ListGrantsCommand({ KeyId, Limit }));
  return {
    grants: (page.Grants ?? []).map((g) => ({ id: g.GrantId, key: g.KeyId, grantee: g.GranteePrincipal, operations: g.Operations })),
    truncated: page.Truncated,
    next: page.NextMarker ?? null,
  };
};
out.grants_before = await grants(open.KeyId);
const grant = (Operations) =>
  new CreateGrantCommand({ KeyId: open.KeyId, GranteePrincipal: "arn:aws:iam::111122223333:role/other", Operations });
out.grant = { id: (await kms.send(grant(["Decrypt"]))).GrantId };
await kms.send(grant(["DescribeKey"]));
out.grants_after = await grants(open.Arn, 1);
out.bad_grant = await refusal(grant(["PutKeyPolicy"]));

const locked = (
  await kms.send(new CreateKeyCommand({ Policy: input.locked_policy, BypassPolicyLockoutSafetyCheck: true }))
).KeyMetadata;
out.locked_policy = (await kms.send(new GetKeyPolicyCommand({ KeyId: locked.KeyId }))).Policy;
const sealed = await kms.send(
  new GenerateDataKeyCommand({
    KeyId: locked.KeyId,
    KeySpec: "AES_256",
    EncryptionContext: context,
    Recipient: recipient,
  }),
);
out.recipient_generate = {
  plaintext: b64(sealed.Plaintext),
  cms: b64(sealed.CiphertextForRecipient),
};
const reopened = await kms.send(
  new DecryptCommand({
    KeyId: locked.Arn,
    CiphertextBlob: sealed.CiphertextBlob,
    EncryptionContext: context,
    Recipient: recipient,
  }),
);
out.recipient_decrypt = { plaintext: b64(reopened.Plaintext), cms: b64(reopened.CiphertextForRecipient) };
out.locked_decrypt_without_recipient = await refusal(
  new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: context }),
);
out.locked_put_policy = await refusal(
  new PutKeyPolicyCommand({ KeyId: locked.KeyId, PolicyName: "default", Policy: input.open_policy }),
);
out.locked_grants = await grants(locked.KeyId);
out.locked_create_grant = await refusal(
  new CreateGrantCommand({ KeyId: locked.KeyId, GranteePrincipal: "arn:aws:iam::111122223333:root", Operations: ["Decrypt"] }),
);
out.unknown_key = await refusal(
  new DescribeKeyCommand({ KeyId: "00000000-0000-0000-0000-000000000000" }),
);
const bad = Buffer.from(input.document, "base64");
bad[bad.length - 5] ^= 1;
out.bad_document = await refusal(
  new GenerateDataKeyCommand({
    KeyId: locked.KeyId,
    KeySpec: "AES_256",
    Recipient: { ...recipient, AttestationDocument: bad },
  }),
);
process.stdout.write(JSON.stringify(out));
