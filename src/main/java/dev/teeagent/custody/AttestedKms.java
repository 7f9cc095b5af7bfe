package dev.teeagent.custody;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.KeyEncryptionMechanism;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.ListGrantsResponse;
import software.amazon.awssdk.services.kms.model.RecipientInfo;

/**
 * The KMS calls the agent makes, over AWS SDK v2 with the JDK's HttpURLConnection (no Netty, no
 * Apache client): data keys are only ever asked for with a {@code Recipient} (the enclave's
 * attestation document with its RSA key), so KMS answers with a CMS envelope that only the enclave
 * can open, never with plaintext. Every failure becomes a {@link CustodyException} whose sentence
 * is written here; SDK and service texts are not passed on.
 */
public final class AttestedKms implements AutoCloseable {
  /** How many grants one ListGrants call asks for. */
  static final int GRANTS_PAGE = 10;

  private final KmsClient client;
  private final String where;

  /** A data key: the ciphertext to keep (with the snapshot) and the envelope to open now. */
  public record DataKey(String keyArn, byte[] ciphertextBlob, byte[] ciphertextForRecipient) {}

  private AttestedKms(KmsClient client, String where) {
    this.client = client;
    this.where = where;
  }

  public static AttestedKms connect(KmsSettings settings) {
    Duration timeout = settings.callTimeout();
    var builder =
        KmsClient.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials(settings))
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(timeout)
                    .socketTimeout(timeout)
                    .build())
            .overrideConfiguration(
                c ->
                    c.apiCallTimeout(timeout)
                        // Nothing from the host's ~/.aws files: settings come only from start.
                        .defaultProfileFileSupplier(() -> ProfileFile.aggregator().build())
                        .defaultProfileName("tee-agent-none"));
    settings.endpoint().ifPresent(builder::endpointOverride);
    String where = settings.endpoint().map(Object::toString).orElse("KMS in " + settings.region());
    return new AttestedKms(builder.build(), where);
  }

  /**
   * The access key given at start, or the instance role's from IMDSv2 (refreshed by the SDK before
   * they expire; nothing is read from the host's files or environment).
   */
  private static AwsCredentialsProvider credentials(KmsSettings settings) {
    if (settings.instanceRole().isPresent()) {
      return InstanceProfileCredentialsProvider.builder()
          .endpoint(settings.instanceRole().get().toString())
          .profileFile(() -> ProfileFile.aggregator().build())
          .profileName("tee-agent-none")
          .asyncCredentialUpdateEnabled(false)
          .build();
    }
    AwsCredentials credentials =
        settings.sessionToken().isPresent()
            ? AwsSessionCredentials.create(
                settings.accessKeyId(), settings.secretAccessKey(), settings.sessionToken().get())
            : AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey());
    return StaticCredentialsProvider.create(credentials);
  }

  /** GenerateDataKey (AES-256) with Recipient: KMS returns no plaintext, only the envelope. */
  public DataKey generateDataKey(
      String keyId, Map<String, String> encryptionContext, byte[] attestationDocument)
      throws CustodyException {
    GenerateDataKeyResponse response =
        call(
            "GenerateDataKey",
            () ->
                client.generateDataKey(
                    r ->
                        r.keyId(keyId)
                            .keySpec("AES_256")
                            .encryptionContext(encryptionContext)
                            .recipient(recipient(attestationDocument))));
    if (response.plaintext() != null) {
      throw new CustodyException(
          where + " answered GenerateDataKey with plaintext although a Recipient was given");
    }
    if (response.ciphertextBlob() == null || response.ciphertextForRecipient() == null) {
      throw new CustodyException(where + " answered GenerateDataKey without the data key");
    }
    return new DataKey(
        response.keyId(),
        response.ciphertextBlob().asByteArray(),
        response.ciphertextForRecipient().asByteArray());
  }

  /** Decrypt with Recipient: the envelope holding the data key of {@code ciphertextBlob}. */
  public byte[] decrypt(
      String keyId,
      byte[] ciphertextBlob,
      Map<String, String> encryptionContext,
      byte[] attestationDocument)
      throws CustodyException {
    DecryptResponse response =
        call(
            "Decrypt",
            () ->
                client.decrypt(
                    r ->
                        r.keyId(keyId)
                            .ciphertextBlob(SdkBytes.fromByteArray(ciphertextBlob))
                            .encryptionContext(encryptionContext)
                            .recipient(recipient(attestationDocument))));
    if (response.plaintext() != null) {
      throw new CustodyException(
          where + " answered Decrypt with plaintext although a Recipient was given");
    }
    if (response.ciphertextForRecipient() == null) {
      throw new CustodyException(where + " answered Decrypt without an envelope");
    }
    return response.ciphertextForRecipient().asByteArray();
  }

  public KeyDescription describeKey(String keyId) throws CustodyException {
    KeyMetadata key =
        call("DescribeKey", () -> client.describeKey(r -> r.keyId(keyId))).keyMetadata();
    if (key == null) {
      throw new CustodyException(where + " answered DescribeKey without key metadata");
    }
    return new KeyDescription(
        key.keyId(),
        key.arn(),
        key.originAsString(),
        key.keySpecAsString(),
        key.keyStateAsString(),
        Boolean.TRUE.equals(key.multiRegion()));
  }

  /** The policy exactly as KMS returned it, as UTF-8 bytes (what the custody hash covers). */
  public byte[] keyPolicy(String keyId) throws CustodyException {
    String policy =
        call("GetKeyPolicy", () -> client.getKeyPolicy(r -> r.keyId(keyId).policyName("default")))
            .policy();
    if (policy == null) {
      throw new CustodyException(where + " answered GetKeyPolicy without a policy");
    }
    return policy.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The key's grants, one page of at most {@link #GRANTS_PAGE}: custody needs only to know whether
   * there are any, and to name a few.
   */
  public KeyGrants listGrants(String keyId) throws CustodyException {
    ListGrantsResponse response =
        call("ListGrants", () -> client.listGrants(r -> r.keyId(keyId).limit(GRANTS_PAGE)));
    List<String> ids =
        response.grants().stream().map(GrantListEntry::grantId).filter(Objects::nonNull).toList();
    if (ids.size() != response.grants().size()) {
      throw new CustodyException(where + " answered ListGrants with a grant without an id");
    }
    return new KeyGrants(ids, Boolean.TRUE.equals(response.truncated()));
  }

  private static RecipientInfo recipient(byte[] attestationDocument) {
    return RecipientInfo.builder()
        .attestationDocument(SdkBytes.fromByteArray(attestationDocument))
        .keyEncryptionAlgorithm(KeyEncryptionMechanism.RSAES_OAEP_SHA_256)
        .build();
  }

  private interface Call<T> {
    T run();
  }

  private <T> T call(String operation, Call<T> call) throws CustodyException {
    try {
      return call.run();
    } catch (KmsException e) {
      throw new CustodyException(refusal(operation, e), e);
    } catch (ApiCallTimeoutException e) {
      throw new CustodyException(where + " did not answer " + operation + " in time", e);
    } catch (SdkClientException e) {
      throw new CustodyException(where + " cannot be reached for " + operation, e);
    } catch (SdkException e) {
      throw new CustodyException(where + " failed " + operation, e);
    }
  }

  private String refusal(String operation, KmsException e) {
    String code =
        e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
            ? ""
            : e.awsErrorDetails().errorCode().replaceAll("[^A-Za-z]", "");
    String what =
        switch (code) {
          case "AccessDeniedException" ->
              "refused access: the key policy does not allow this enclave image (or these"
                  + " credentials)";
          case "NotFoundException" -> "does not know the key";
          case "InvalidCiphertextException" ->
              "refused the ciphertext: it is damaged, of another key, or its encryption context"
                  + " differs";
          case "DisabledException", "KMSInvalidStateException" ->
              "refused: the key is disabled or pending deletion";
          case "ValidationException", "InvalidParameterException" ->
              "refused the request as invalid (the attestation document may not verify)";
          case "UnrecognizedClientException",
              "InvalidSignatureException",
              "IncompleteSignature",
              "ExpiredTokenException" ->
              "refused the credentials";
          case "ThrottlingException", "LimitExceededException" -> "is throttling requests";
          default -> "refused the request" + (code.isEmpty() ? "" : " (" + code + ")");
        };
    return where + " " + what + " (" + operation + ", HTTP " + e.statusCode() + ")";
  }

  @Override
  public void close() {
    client.close();
  }
}
