package dev.teeagent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.custody.AttestedKms;
import dev.teeagent.custody.KeyDescription;
import dev.teeagent.custody.KeyGrants;
import dev.teeagent.custody.KeyPolicyAnalyser;
import dev.teeagent.custody.KmsSettings;
import dev.teeagent.custody.LockedKeyPolicy;
import dev.teeagent.custody.RecipientEnvelope;
import dev.teeagent.devkms.DevKmsServer;
import dev.teeagent.http.RequestEcho;
import dev.teeagent.http.ResponseSigner;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.verifier.AttestedCustody;
import dev.teeagent.verifier.TrustedRoot;
import dev.teeagent.verifier.UserDataPreimage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * What proving custody costs, against signing one answer in the same run: the boot's custody check
 * (DescribeKey + GetKeyPolicy + ListGrants + the analyser) with and without the ListGrants call
 * this round added, beside the boot's unseal through KMS (Decrypt with Recipient + opening the
 * envelope), all through the agent's SDK client against dev-kms on loopback (real HTTP, no AWS
 * latency: on AWS each call adds its round trip); and the user_data of an attestation with and
 * without the custody member. Method as {@link CustodyBench}. Run with bench/custody-check.sh.
 */
public final class CustodyCheckBench {
  private CustodyCheckBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    SecureRandom random = new SecureRandom();
    Path dir = Files.createTempDirectory("custody-check-bench");
    Map<String, String> context = Map.of("tee_name", "bench", "purpose", "bench");
    try (SimulatedNsm nsm = SimulatedNsm.start(Clock.systemUTC(), random);
        DevKmsServer devKms =
            DevKmsServer.start(
                "127.0.0.1",
                0,
                dir,
                TrustedRoot.of(nsm.rootCertificate()),
                Clock.systemUTC(),
                random,
                "us-east-1",
                "111122223333",
                Optional.empty())) {
      URI endpoint = URI.create("http://127.0.0.1:" + devKms.port());
      byte[] pcr0 = nsm.describePcr(0).data();
      String keyId;
      try (KmsClient admin =
          KmsClient.builder()
              .region(Region.US_EAST_1)
              .endpointOverride(endpoint)
              .credentialsProvider(
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDADMIN", "x")))
              .httpClient(UrlConnectionHttpClient.create())
              .build()) {
        String policy = LockedKeyPolicy.of(pcr0, "111122223333", "tee-agent-host");
        keyId =
            admin
                .createKey(r -> r.policy(policy).bypassPolicyLockoutSafetyCheck(true))
                .keyMetadata()
                .keyId();
      }
      KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
      rsa.initialize(2048, random);
      KeyPair enclave = rsa.generateKeyPair();
      byte[] document = nsm.attestation(null, null, enclave.getPublic().getEncoded());
      try (AttestedKms kms =
          AttestedKms.connect(
              new KmsSettings(
                  "us-east-1",
                  Optional.of(endpoint),
                  "AKIDHOSTROLE",
                  "host-secret",
                  Optional.empty(),
                  Duration.ofSeconds(30)))) {
        byte[] blob = kms.generateDataKey(keyId, context, document).ciphertextBlob();
        byte[] policyBytes = kms.keyPolicy(keyId);
        KeyDescription description = kms.describeKey(keyId);
        SigningKey agentKey = SigningKey.generate(random);
        ObjectMapper mapper = JsonMappers.strict();
        UserDataPreimage plain =
            new UserDataPreimage("bench", "0x1111", "0x2222", "0x" + "ab".repeat(32));
        UserDataPreimage withCustody =
            new UserDataPreimage(
                "bench",
                "0x1111",
                "0x2222",
                "0x" + "ab".repeat(32),
                null,
                new AttestedCustody(keyId, "AWS_KMS", "cd".repeat(32), true));

        Map<String, CustodyBench.Op> ops = new LinkedHashMap<>();
        ops.put(
            CustodyBench.BASELINE,
            CustodyBench.signingOneAnswer(
                new ResponseSigner("bench", agentKey, Clock.systemUTC()),
                new RequestEcho("GET", "/api/v1/health", "", "")));
        ops.put(
            "boot unseal: Decrypt (Recipient) + open",
            () ->
                RecipientEnvelope.open(
                    kms.decrypt(keyId, blob, context, document), enclave.getPrivate()));
        ops.put(
            "custody check without ListGrants",
            () ->
                KeyPolicyAnalyser.analyse(
                    kms.describeKey(keyId), kms.keyPolicy(keyId), KeyGrants.none(), pcr0));
        ops.put("ListGrants alone", () -> kms.listGrants(keyId));
        ops.put(
            "custody check with ListGrants",
            () ->
                KeyPolicyAnalyser.analyse(
                    kms.describeKey(keyId), kms.keyPolicy(keyId), kms.listGrants(keyId), pcr0));
        ops.put(
            "analyser alone (no KMS call)",
            () -> KeyPolicyAnalyser.analyse(description, policyBytes, KeyGrants.none(), pcr0));
        ops.put("user_data without custody", () -> plain.userData(mapper));
        ops.put("user_data with custody", () -> withCustody.userData(mapper));
        CustodyBench.report(ops, rounds, 2);
      }
    }
  }
}
