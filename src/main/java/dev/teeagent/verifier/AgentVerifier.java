package dev.teeagent.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Secp256k1;
import dev.teeagent.crypto.SignedBodyVerifier;
import dev.teeagent.json.UntrustedText;
import dev.teeagent.verifier.VerificationReport.Step;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a running agent end to end, trusting only the root: fetches a fresh attestation with a
 * random nonce and a signed /config, then checks the document ({@link AttestationVerifier}: chain
 * at the document's time, document fresh, PCRs, nonce), that the attested public key is the
 * secp256k1 key that signed both answers, and that user_data commits to the returned preimage,
 * whose members are exactly the ones {@link UserDataPreimage} knows how to check.
 */
public final class AgentVerifier {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final HexFormat HEX = HexFormat.of();

  private final AttestationVerifier verifier;
  private final SignedFetch fetch;
  private final ObjectMapper mapper;
  private final SecureRandom random;

  public AgentVerifier(
      AttestationVerifier verifier, HttpClient http, ObjectMapper mapper, SecureRandom random) {
    this.verifier = verifier;
    this.fetch = new SignedFetch(http, mapper);
    this.mapper = mapper;
    this.random = random;
  }

  /**
   * @param pcrs the PCRs the agent's code must have (none: reported, not checked)
   * @param maxAge how far the document's signed time may be from the verifier's clock
   * @param allowDebug accept a debug-mode enclave (testing only)
   * @param requireLocked fail unless the agent attests custody under a locked KMS key policy
   */
  public record Options(
      ExpectedPcrs pcrs, Duration maxAge, boolean allowDebug, boolean requireLocked) {
    /** Custody reported when attested, not required. */
    public Options(ExpectedPcrs pcrs, Duration maxAge, boolean allowDebug) {
      this(pcrs, maxAge, allowDebug, false);
    }
  }

  /** The agent as proven: its key's address and the identity its attestation commits to. */
  public record VerifiedAgent(
      Address address, UserDataPreimage preimage, VerifiedAttestation attestation) {}

  /** Every step, and the agent when all passed. */
  public record AgentReport(VerificationReport report, Optional<VerifiedAgent> agent) {
    public boolean passed() {
      return agent.isPresent() && report.passed();
    }
  }

  public AgentReport verify(URI baseUrl, Options options) {
    byte[] nonce = new byte[32];
    random.nextBytes(nonce);
    Fetched attestationFetched;
    Fetched configFetched;
    try {
      attestationFetched =
          fetchSigned(baseUrl, "/api/v1/attestation?nonce=0x" + HEX.formatHex(nonce));
      configFetched = fetchSigned(baseUrl, "/api/v1/config");
    } catch (FetchFailure e) {
      return failed(Step.failed(Check.FETCH, e.getMessage()));
    }
    SignedBodyVerifier.Verified attestationBody = attestationFetched.verified();
    SignedBodyVerifier.Verified config = configFetched.verified();
    byte[] document;
    JsonNode preimageNode = attestationBody.body().path("user_data_preimage");
    try {
      document = Base64.getDecoder().decode(attestationBody.body().path("document").asText(""));
      if (document.length == 0 || !preimageNode.isObject()) {
        throw new IllegalArgumentException("missing");
      }
    } catch (IllegalArgumentException e) {
      return failed(
          Step.failed(Check.FETCH, "/attestation lacks a base64 document or a user_data_preimage"));
    }
    List<Step> steps = new ArrayList<>();
    steps.add(
        Step.passed(
            Check.FETCH,
            "/attestation and /config answered, signed by "
                + attestationBody.signer()
                + (attestationBody.signer().equals(config.signer())
                    ? ""
                    : " and " + config.signer())));
    VerificationReport documentReport =
        verifier.check(
            document,
            VerificationOptions.atDocumentTime()
                .freshWithin(options.maxAge())
                .withPcrs(options.pcrs())
                .withNonce(nonce)
                .allowingDebug(options.allowDebug()));
    steps.addAll(documentReport.steps());
    if (documentReport.attestation().isEmpty()) {
      return new AgentReport(new VerificationReport(steps, Optional.empty()), Optional.empty());
    }
    VerifiedAttestation attestation = documentReport.attestation().get();
    Optional<Address> key = agentKey(attestation.document(), attestationBody, config, steps);
    Optional<UserDataPreimage> preimage = preimage(attestation.document(), preimageNode, steps);
    preimage.ifPresent(members -> steps.add(userData(members, key, config.body())));
    if ("https".equalsIgnoreCase(baseUrl.getScheme())) {
      steps.add(
          preimage
              .map(
                  members ->
                      TlsKeyCheck.check(
                          members, attestationFetched.peerPin(), configFetched.peerPin()))
              .orElse(
                  Step.failed(
                      Check.TLS_KEY,
                      "no attested TLS key to compare: the preimage did not verify")));
    }
    AttestedCustody.check(preimage, options.requireLocked(), config.body().path("identity"))
        .ifPresent(steps::add);
    VerificationReport report = new VerificationReport(steps, Optional.of(attestation));
    return new AgentReport(
        report,
        report.passed() && key.isPresent() && preimage.isPresent()
            ? Optional.of(new VerifiedAgent(key.get(), preimage.get(), attestation))
            : Optional.empty());
  }

  /**
   * The preimage, when user_data commits to it and it has exactly the members this verifier knows
   * how to check; otherwise a failed {@code user data} step.
   */
  private Optional<UserDataPreimage> preimage(
      AttestationDocument doc, JsonNode preimageNode, List<Step> steps) {
    byte[] expected = UserDataPreimage.userDataOf(preimageNode);
    if (doc.userData().isEmpty() || !MessageDigest.isEqual(doc.userData().get(), expected)) {
      steps.add(
          Step.failed(
              Check.USER_DATA, "user_data is not sha256(JCS(user_data_preimage)) of the answer"));
      return Optional.empty();
    }
    List<String> problems = UserDataPreimage.problems(preimageNode);
    if (problems.isEmpty()) {
      try {
        return Optional.of(mapper.treeToValue(preimageNode, UserDataPreimage.class));
      } catch (IOException e) {
        problems = List.of("members do not map onto the known ones");
      }
    }
    steps.add(Step.failed(Check.USER_DATA, "the preimage's " + String.join("; ", problems)));
    return Optional.empty();
  }

  private static Optional<Address> agentKey(
      AttestationDocument doc,
      SignedBodyVerifier.Verified attestationBody,
      SignedBodyVerifier.Verified config,
      List<Step> steps) {
    Optional<byte[]> publicKey = doc.publicKey();
    if (publicKey.isEmpty() || !isSecp256k1Point(publicKey.get())) {
      steps.add(
          Step.failed(
              Check.AGENT_KEY,
              "public_key is not an uncompressed secp256k1 public key (65 bytes)"));
      return Optional.empty();
    }
    Address address = Secp256k1.addressOf(publicKey.get());
    if (!address.equals(config.signer()) || !address.equals(attestationBody.signer())) {
      steps.add(
          Step.failed(
              Check.AGENT_KEY,
              "the attested key is "
                  + address
                  + " but /config was signed by "
                  + config.signer()
                  + " and /attestation by "
                  + attestationBody.signer()));
      return Optional.empty();
    }
    if (!address.sameAs(config.body().path("address").asText(null))) {
      steps.add(Step.failed(Check.AGENT_KEY, "/config names another address than its signer"));
      return Optional.empty();
    }
    steps.add(
        Step.passed(
            Check.AGENT_KEY,
            "public_key is the secp256k1 key of "
                + address
                + ", which signed /config and /attestation"));
    return Optional.of(address);
  }

  private static Step userData(UserDataPreimage preimage, Optional<Address> key, JsonNode config) {
    List<String> mismatches = new ArrayList<>();
    if (key.isPresent() && !key.get().sameAs(preimage.address())) {
      mismatches.add("address " + preimage.address() + " is not the attested key's");
    }
    if (!String.valueOf(preimage.teeName()).equals(config.path("tee_name").asText(null))) {
      mismatches.add("tee_name differs from /config's");
    }
    if (!sameAddress(config.path("operator").asText(""), preimage.operator())) {
      mismatches.add("operator differs from /config's");
    }
    JsonNode configTls = config.path("tls_spki_sha256");
    if (!Objects.equals(
        preimage.tlsSpkiSha256(), configTls.isTextual() ? configTls.textValue() : null)) {
      mismatches.add("tls_spki_sha256 differs from /config's");
    }
    JsonNode configCustody = config.path("identity").path("custody");
    if (preimage.custody() == null
        ? configCustody.isObject()
        : !preimage.custody().sameAs(configCustody)) {
      mismatches.add("custody differs from /config's identity.custody");
    }
    if (!mismatches.isEmpty()) {
      return Step.failed(Check.USER_DATA, "the preimage's " + String.join("; ", mismatches));
    }
    return Step.passed(
        Check.USER_DATA,
        "user_data = sha256(JCS(preimage)) for tee_name \""
            + preimage.teeName()
            + "\", operator "
            + preimage.operator()
            + ", state_hash "
            + preimage.stateHash());
  }

  private static boolean sameAddress(String a, String b) {
    try {
      return Address.parse(a).sameAs(b);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isSecp256k1Point(byte[] key) {
    if (key.length != 65 || key[0] != 0x04) {
      return false;
    }
    try {
      return Secp256k1.DOMAIN.getCurve().decodePoint(key).isValid();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A verified answer and the pin of the TLS key of the connection that carried it. */
  private record Fetched(SignedBodyVerifier.Verified verified, Optional<String> peerPin) {}

  private Fetched fetchSigned(URI baseUrl, String pathAndQuery) throws FetchFailure {
    URI uri = URI.create(baseUrl.toString().replaceAll("/+$", "") + pathAndQuery);
    String what = "GET " + uri.getPath();
    SignedFetch.Answer answer;
    try {
      answer = fetch.fetch(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
    } catch (SignedFetch.Failure e) {
      throw new FetchFailure(what + " failed: " + e.getMessage());
    }
    if (answer.status() != 200) {
      JsonNode error = answer.verified().body().path("error");
      throw new FetchFailure(
          what
              + " answered "
              + answer.status()
              + " "
              + UntrustedText.quote(error.path("code").asText(""), 64)
              + ": "
              + UntrustedText.quote(error.path("message").asText(""), 64));
    }
    return new Fetched(answer.verified(), answer.peerPin());
  }

  private static AgentReport failed(Step step) {
    return new AgentReport(
        new VerificationReport(List.of(step), Optional.empty()), Optional.empty());
  }

  private static final class FetchFailure extends Exception {
    private static final long serialVersionUID = 1L;

    FetchFailure(String message) {
      super(message, null, false, false);
    }
  }
}
