package dev.teeagent.devkms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.custody.CustodyException;
import dev.teeagent.custody.KeyPolicy;
import dev.teeagent.custody.RecipientEnvelopeWriter;
import dev.teeagent.json.UntrustedText;
import dev.teeagent.verifier.AttestationDocument;
import dev.teeagent.verifier.AttestationVerificationException;
import dev.teeagent.verifier.AttestationVerifier;
import dev.teeagent.verifier.VerificationOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The KMS operations the agent uses, on the stand-in's keys: CreateKey, GenerateDataKey, Decrypt,
 * DescribeKey, GetKeyPolicy, PutKeyPolicy, ListGrants, and CreateGrant (so that a key with a grant
 * can be tried: a grant's operations are allowed to anyone, as the stand-in does not check who
 * calls, unless the policy denies them). Requests and answers are KMS's JSON shapes. With a {@code
 * Recipient}, the attestation document is verified against the trusted (simulated) root, the key
 * policy's measurement conditions are evaluated on it, and the secret is answered only as a BER CMS
 * envelope to the document's RSA key.
 */
final class DevKmsService {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Base64.Decoder B64_IN = Base64.getDecoder();
  private static final Base64.Encoder B64_OUT = Base64.getEncoder();
  private static final Duration DOCUMENT_MAX_AGE = Duration.ofMinutes(5);

  /** The operations KMS lets a grant give. */
  private static final Set<String> GRANT_OPERATIONS =
      Set.of(
          "Decrypt",
          "Encrypt",
          "GenerateDataKey",
          "GenerateDataKeyWithoutPlaintext",
          "GenerateDataKeyPair",
          "GenerateDataKeyPairWithoutPlaintext",
          "ReEncryptFrom",
          "ReEncryptTo",
          "CreateGrant",
          "RetireGrant",
          "DescribeKey");

  private final DevKeyStore keys;
  private final AttestationVerifier verifier;
  private final Clock clock;
  private final SecureRandom random;
  private final String region;
  private final String account;

  DevKmsService(
      DevKeyStore keys,
      AttestationVerifier verifier,
      Clock clock,
      SecureRandom random,
      String region,
      String account) {
    this.keys = keys;
    this.verifier = verifier;
    this.clock = clock;
    this.random = random;
    this.region = region;
    this.account = account;
  }

  ObjectNode handle(String operation, JsonNode request) throws KmsError {
    return switch (operation) {
      case "CreateKey" -> createKey(request);
      case "GenerateDataKey" -> generateDataKey(request);
      case "Decrypt" -> decrypt(request);
      case "DescribeKey" -> describeKey(request);
      case "GetKeyPolicy" -> getKeyPolicy(request);
      case "PutKeyPolicy" -> putKeyPolicy(request);
      case "CreateGrant" -> createGrant(request);
      case "ListGrants" -> listGrants(request);
      default ->
          throw new KmsError(
              "UnknownOperationException",
              "dev-kms does not implement " + UntrustedText.quote(operation, 200));
    };
  }

  boolean hasKey(String keyId) {
    return keys.find(keyId).isPresent();
  }

  /** A key with the default policy (the account may do anything: not locked to any code). */
  String createDevelopmentKey() {
    try {
      return createKey(NODES.objectNode().put("Description", "development key (not locked)"))
          .get("KeyMetadata")
          .get("KeyId")
          .asText();
    } catch (KmsError e) {
      throw new IllegalStateException("the default policy is refused: " + e.getMessage(), e);
    }
  }

  private ObjectNode createKey(JsonNode request) throws KmsError {
    for (String[] only :
        new String[][] {
          {"KeySpec", "SYMMETRIC_DEFAULT"}, {"KeyUsage", "ENCRYPT_DECRYPT"}, {"Origin", "AWS_KMS"}
        }) {
      String value = text(request, only[0]).orElse(only[1]);
      if (!value.equals(only[1])) {
        throw new KmsError(
            "UnsupportedOperationException", "dev-kms makes only " + only[1] + " keys");
      }
    }
    String keyId = UUID.randomUUID().toString();
    String policy = text(request, "Policy").orElse(defaultPolicy());
    checkNewPolicy(policy, request);
    byte[] material = new byte[32];
    random.nextBytes(material);
    DevKey key =
        new DevKey(
            keyId,
            "arn:aws:kms:" + region + ":" + account + ":key/" + keyId,
            B64_OUT.encodeToString(material),
            policy,
            text(request, "Description").orElse(""),
            clock.instant().getEpochSecond(),
            List.of());
    store(key);
    ObjectNode answer = NODES.objectNode();
    answer.set("KeyMetadata", metadata(key));
    return answer;
  }

  private ObjectNode generateDataKey(JsonNode request) throws KmsError {
    DevKey key = key(request);
    int size = dataKeySize(request);
    Optional<Recipient> recipient = recipient(request);
    authorize(key, "kms:GenerateDataKey", recipient);
    byte[] plaintext = new byte[size];
    random.nextBytes(plaintext);
    ObjectNode answer = NODES.objectNode();
    answer.put("KeyId", key.arn());
    answer.put(
        "CiphertextBlob",
        B64_OUT.encodeToString(Blobs.seal(key, plaintext, context(request), random)));
    secret(answer, plaintext, recipient);
    return answer;
  }

  private ObjectNode decrypt(JsonNode request) throws KmsError {
    byte[] blob = binary(request, "CiphertextBlob").orElseThrow(() -> missing("CiphertextBlob"));
    String blobKey = Blobs.keyId(blob);
    DevKey key = keys.find(blobKey).orElseThrow(Blobs::invalid);
    Optional<String> named = text(request, "KeyId");
    if (named.isPresent() && keys.find(named.get()).map(k -> k != key).orElse(true)) {
      throw new KmsError(
          "IncorrectKeyException", "the ciphertext was not made with the key named in KeyId");
    }
    if (!text(request, "EncryptionAlgorithm")
        .orElse("SYMMETRIC_DEFAULT")
        .equals("SYMMETRIC_DEFAULT")) {
      throw KmsError.validation("EncryptionAlgorithm must be SYMMETRIC_DEFAULT for this key");
    }
    Optional<Recipient> recipient = recipient(request);
    authorize(key, "kms:Decrypt", recipient);
    byte[] plaintext = Blobs.open(key, blob, context(request));
    ObjectNode answer = NODES.objectNode();
    answer.put("KeyId", key.arn());
    answer.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
    secret(answer, plaintext, recipient);
    return answer;
  }

  private ObjectNode describeKey(JsonNode request) throws KmsError {
    ObjectNode answer = NODES.objectNode();
    answer.set("KeyMetadata", metadata(key(request)));
    return answer;
  }

  private ObjectNode getKeyPolicy(JsonNode request) throws KmsError {
    DevKey key = key(request);
    policyName(request);
    ObjectNode answer = NODES.objectNode();
    answer.put("Policy", key.policy());
    answer.put("PolicyName", "default");
    return answer;
  }

  private ObjectNode putKeyPolicy(JsonNode request) throws KmsError {
    DevKey key = key(request);
    policyName(request);
    String policy = text(request, "Policy").orElseThrow(() -> missing("Policy"));
    authorize(key, "kms:PutKeyPolicy", Optional.empty());
    checkNewPolicy(policy, request);
    store(key.withPolicy(policy));
    return NODES.objectNode();
  }

  private ObjectNode createGrant(JsonNode request) throws KmsError {
    DevKey key = key(request);
    String grantee =
        text(request, "GranteePrincipal").orElseThrow(() -> missing("GranteePrincipal"));
    List<String> operations = new ArrayList<>();
    JsonNode given = request.get("Operations");
    if (given == null || !given.isArray() || given.isEmpty()) {
      throw KmsError.validation("Operations must list at least one operation");
    }
    for (JsonNode operation : given) {
      if (!operation.isTextual() || !GRANT_OPERATIONS.contains(operation.textValue())) {
        throw KmsError.validation("Operations lists an operation a grant cannot give");
      }
      operations.add(operation.textValue());
    }
    if (request.has("Constraints")) {
      throw new KmsError(
          "UnsupportedOperationException", "dev-kms makes grants without Constraints only");
    }
    authorize(key, "kms:CreateGrant", Optional.empty());
    byte[] id = new byte[32];
    random.nextBytes(id);
    DevKey.Grant grant =
        new DevKey.Grant(
            HexFormat.of().formatHex(id),
            text(request, "Name").orElse(""),
            grantee,
            text(request, "RetiringPrincipal").orElse(null),
            operations,
            clock.instant().getEpochSecond());
    store(key.withGrant(grant));
    ObjectNode answer = NODES.objectNode();
    answer.put("GrantId", grant.grantId());
    answer.put("GrantToken", B64_OUT.encodeToString(id));
    return answer;
  }

  /** One page of the key's grants; Marker is the index of the next one, as text. */
  private ObjectNode listGrants(JsonNode request) throws KmsError {
    DevKey key = key(request);
    JsonNode limit = request.get("Limit");
    if (limit != null && (!limit.isIntegralNumber() || limit.asInt() < 1 || limit.asInt() > 100)) {
      throw KmsError.validation("Limit must be 1..100");
    }
    int size = limit == null ? 50 : limit.asInt();
    int from;
    try {
      from = Integer.parseInt(text(request, "Marker").orElse("0"));
    } catch (NumberFormatException e) {
      throw KmsError.validation("Marker is not one this service gave");
    }
    List<DevKey.Grant> grants = key.grants();
    if (from < 0 || from > grants.size()) {
      throw KmsError.validation("Marker is not one this service gave");
    }
    int to = Math.min(grants.size(), from + size);
    ObjectNode answer = NODES.objectNode();
    var list = answer.putArray("Grants");
    for (DevKey.Grant grant : grants.subList(from, to)) {
      ObjectNode entry = list.addObject();
      entry.put("KeyId", key.arn());
      entry.put("GrantId", grant.grantId());
      entry.put("Name", grant.name());
      entry.put("CreationDate", grant.created());
      entry.put("GranteePrincipal", grant.granteePrincipal());
      if (grant.retiringPrincipal() != null) {
        entry.put("RetiringPrincipal", grant.retiringPrincipal());
      }
      entry.put("IssuingAccount", "arn:aws:iam::" + account + ":root");
      grant.operations().forEach(entry.putArray("Operations")::add);
    }
    answer.put("Truncated", to < grants.size());
    if (to < grants.size()) {
      answer.put("NextMarker", Integer.toString(to));
    }
    return answer;
  }

  /** A policy that parses and, unless the caller bypasses the check, does not lock everyone out. */
  private static void checkNewPolicy(String policy, JsonNode request) throws KmsError {
    KeyPolicy parsed;
    try {
      parsed = KeyPolicy.parse(policy.getBytes(StandardCharsets.UTF_8));
    } catch (CustodyException e) {
      throw new KmsError("MalformedPolicyDocumentException", e.getMessage());
    }
    boolean bypass = request.path("BypassPolicyLockoutSafetyCheck").asBoolean(false);
    if (!bypass && !RecipientPolicy.allows(parsed, "kms:PutKeyPolicy", Optional.empty())) {
      throw new KmsError(
          "MalformedPolicyDocumentException",
          "the new key policy will not allow you to update the key policy in the future; set"
              + " BypassPolicyLockoutSafetyCheck to lock it on purpose");
    }
  }

  private void authorize(DevKey key, String action, Optional<Recipient> recipient) throws KmsError {
    KeyPolicy policy;
    try {
      policy = KeyPolicy.parse(key.policy().getBytes(StandardCharsets.UTF_8));
    } catch (CustodyException e) {
      throw KmsError.accessDenied("the key policy cannot be evaluated: " + e.getMessage());
    }
    Optional<AttestationDocument> document = recipient.map(Recipient::document);
    if (RecipientPolicy.denies(policy, action, document)
        || !(RecipientPolicy.allows(policy, action, document) || key.granted(action))) {
      throw KmsError.accessDenied(
          "the key policy of "
              + key.arn()
              + " does not allow "
              + action
              + (recipient.isPresent()
                  ? " for this attestation document's measurements"
                  : " without a Recipient attestation document"));
    }
  }

  /** Plaintext without a Recipient; with one, only the CMS envelope to its RSA key. */
  private void secret(ObjectNode answer, byte[] plaintext, Optional<Recipient> recipient)
      throws KmsError {
    if (recipient.isEmpty()) {
      answer.put("Plaintext", B64_OUT.encodeToString(plaintext));
      return;
    }
    try {
      answer.put(
          "CiphertextForRecipient",
          B64_OUT.encodeToString(
              RecipientEnvelopeWriter.seal(plaintext, recipient.get().key(), random)));
    } catch (CustodyException e) {
      throw KmsError.validation("the attestation document's public key cannot be used");
    }
  }

  record Recipient(AttestationDocument document, PublicKey key) {}

  private Optional<Recipient> recipient(JsonNode request) throws KmsError {
    JsonNode recipient = request.get("Recipient");
    if (recipient == null || recipient.isNull()) {
      return Optional.empty();
    }
    String algorithm = text(recipient, "KeyEncryptionAlgorithm").orElse("RSAES_OAEP_SHA_256");
    if (!algorithm.equals("RSAES_OAEP_SHA_256")) {
      throw KmsError.validation("KeyEncryptionAlgorithm must be RSAES_OAEP_SHA_256");
    }
    byte[] document =
        binary(recipient, "AttestationDocument")
            .orElseThrow(() -> missing("Recipient.AttestationDocument"));
    AttestationDocument verified;
    try {
      verified =
          verifier
              .verify(
                  document,
                  VerificationOptions.at(clock.instant())
                      .freshWithin(DOCUMENT_MAX_AGE)
                      .allowingDebug(true))
              .document();
    } catch (AttestationVerificationException e) {
      throw KmsError.validation("the attestation document does not verify: " + e.getMessage());
    }
    byte[] der =
        verified
            .publicKey()
            .orElseThrow(() -> KmsError.validation("the attestation document has no public_key"));
    try {
      PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
      int bits = ((RSAPublicKey) key).getModulus().bitLength();
      if (bits != 2048 && bits != 3072 && bits != 4096) {
        throw KmsError.validation(
            "the attestation document's RSA key must be 2048, 3072 or 4096 bits");
      }
      return Optional.of(new Recipient(verified, key));
    } catch (java.security.GeneralSecurityException | ClassCastException e) {
      throw KmsError.validation("the attestation document's public_key is not an RSA public key");
    }
  }

  private DevKey key(JsonNode request) throws KmsError {
    String keyId = text(request, "KeyId").orElseThrow(() -> missing("KeyId"));
    return keys.find(keyId).orElseThrow(() -> KmsError.notFound(keyId));
  }

  private static int dataKeySize(JsonNode request) throws KmsError {
    Optional<String> spec = text(request, "KeySpec");
    JsonNode bytes = request.get("NumberOfBytes");
    if (spec.isPresent() == (bytes != null)) {
      throw KmsError.validation("give exactly one of KeySpec and NumberOfBytes");
    }
    if (spec.isPresent()) {
      return switch (spec.get()) {
        case "AES_256" -> 32;
        case "AES_128" -> 16;
        default -> throw KmsError.validation("KeySpec must be AES_256 or AES_128");
      };
    }
    if (!bytes.isIntegralNumber() || bytes.asInt() < 1 || bytes.asInt() > 1024) {
      throw KmsError.validation("NumberOfBytes must be 1..1024");
    }
    return bytes.asInt();
  }

  private static void policyName(JsonNode request) throws KmsError {
    if (!text(request, "PolicyName").orElse("default").equals("default")) {
      throw KmsError.notFound("policy " + text(request, "PolicyName").orElse(""));
    }
  }

  private static Map<String, String> context(JsonNode request) throws KmsError {
    Map<String, String> context = new TreeMap<>();
    JsonNode given = request.get("EncryptionContext");
    if (given == null || given.isNull()) {
      return context;
    }
    if (!given.isObject()) {
      throw KmsError.validation("EncryptionContext must be an object of strings");
    }
    for (Map.Entry<String, JsonNode> entry : given.properties()) {
      if (!entry.getValue().isTextual()) {
        throw KmsError.validation("EncryptionContext must be an object of strings");
      }
      context.put(entry.getKey(), entry.getValue().textValue());
    }
    return context;
  }

  private ObjectNode metadata(DevKey key) {
    ObjectNode meta = NODES.objectNode();
    meta.put("AWSAccountId", account);
    meta.put("KeyId", key.keyId());
    meta.put("Arn", key.arn());
    meta.put("CreationDate", key.created());
    meta.put("Enabled", true);
    meta.put("Description", key.description());
    meta.put("KeyUsage", "ENCRYPT_DECRYPT");
    meta.put("KeyState", "Enabled");
    meta.put("Origin", "AWS_KMS");
    meta.put("KeyManager", "CUSTOMER");
    meta.put("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT");
    meta.put("KeySpec", "SYMMETRIC_DEFAULT");
    meta.putArray("EncryptionAlgorithms").add("SYMMETRIC_DEFAULT");
    meta.put("MultiRegion", false);
    return meta;
  }

  private String defaultPolicy() {
    return """
        {"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User \
        Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},\
        "Action":"kms:*","Resource":"*"}]}"""
        .formatted(account);
  }

  private void store(DevKey key) {
    try {
      keys.put(key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store key " + key.keyId(), e);
    }
  }

  private static Optional<String> text(JsonNode node, String field) throws KmsError {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw KmsError.validation(field + " must be a string");
    }
    return Optional.of(value.textValue());
  }

  private static Optional<byte[]> binary(JsonNode node, String field) throws KmsError {
    Optional<String> text = text(node, field);
    try {
      return text.map(B64_IN::decode);
    } catch (IllegalArgumentException e) {
      throw KmsError.validation(field + " is not base64");
    }
  }

  private static KmsError missing(String field) {
    return KmsError.validation(field + " is required");
  }
}
