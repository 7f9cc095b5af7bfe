package dev.teeagent.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.teeagent.crypto.Jcs;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.testing.NodeScript;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An agent whose attested user_data preimage carries a member the verifiers do not know (as a newer
 * agent would): the Java and JS verifiers both pass every other check and fail {@code user data}
 * naming the member; without it both say VERIFIED. The custody member (a sealed identity's KMS key
 * and whether its policy is locked): reported by both, required with {@code --require-locked} /
 * {@code requireLocked} (both fail closed when it is absent or not locked), compared with /config,
 * and its shape checked the same way. The agent here is a loopback stand-in serving answers signed
 * by a secp256k1 key and fresh documents of the simulated NSM for the verifier's nonce, so the
 * preimage can hold what the real agent does not write (yet).
 */
class PreimageMembersParityIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final HexFormat HEX = HexFormat.of();
  private static final String OPERATOR = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

  private final SecureRandom random = new SecureRandom();
  private final SigningKey key = SigningKey.generate(random);
  private SimulatedNsm nsm;
  private HttpServer server;
  private ObjectNode preimage;
  private ObjectNode config;

  @BeforeEach
  void serve() throws IOException {
    nsm = SimulatedNsm.start(Clock.systemUTC(), random);
    preimage =
        MAPPER
            .createObjectNode()
            .put("tee_name", "stand-in")
            .put("operator", OPERATOR)
            .put("address", key.address().checksummed())
            .put("state_hash", "0x" + "ab".repeat(32));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/attestation", this::attestation);
    config =
        MAPPER
            .createObjectNode()
            .put("tee_name", "stand-in")
            .put("operator", OPERATOR)
            .put("address", key.address().checksummed());
    server.createContext("/api/v1/config", exchange -> answer(exchange, config.deepCopy()));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    nsm.close();
  }

  @Test
  void anUnknownMemberFailsTheUserDataCheckInBothVerifiersNamingIt() throws Exception {
    preimage.put("zz_unknown_member", "a claim this verifier cannot check");
    bothFailOnlyTheLastCheck(
        false,
        "user data",
        "the preimage's members this verifier does not know how to check:"
            + " \"zz_unknown_member\"");
  }

  @Test
  void withTheKnownMembersOnlyBothVerify() throws Exception {
    bothVerifyEndingWith(false, "user data");
  }

  /** Java and JS report the same steps, all passed, the last {@code check}; JS says VERIFIED. */
  private JsonNode bothVerifyEndingWith(boolean requireLocked, String check) throws Exception {
    List<String> java = javaSteps(requireLocked);
    JsonNode js = jsResult(requireLocked);
    assertThat(jsSteps(js)).as("js: " + js).isEqualTo(java);
    assertThat(java)
        .allMatch(step -> step.startsWith("passed "))
        .last()
        .isEqualTo("passed " + check);
    assertThat(js.get("verdict").asText()).isEqualTo("VERIFIED");
    return js;
  }

  /** Java and JS report the same steps, all passed but the last, {@code check}, failed as said. */
  private void bothFailOnlyTheLastCheck(boolean requireLocked, String check, String why)
      throws Exception {
    List<String> java = javaSteps(requireLocked);
    JsonNode js = jsResult(requireLocked);
    assertThat(jsSteps(js)).as("js: " + js).isEqualTo(java);
    assertThat(java).last().isEqualTo("failed " + check);
    assertThat(java.subList(0, java.size() - 1)).allMatch(step -> step.startsWith("passed "));
    assertThat(js.get("verdict").asText())
        .startsWith("NOT VERIFIED: " + check + " check failed: " + why);
  }

  /** An agent with a sealed identity: custody in the preimage and, with reasons, in /config. */
  private void custody(boolean locked, String... reasons) {
    ObjectNode custody =
        MAPPER
            .createObjectNode()
            .put("key_id", "1234abcd-12ab-34cd-56ef-1234567890ab")
            .put("origin", "AWS_KMS")
            .put("policy_sha256", "9f".repeat(32))
            .put("locked", locked);
    preimage.set("custody", custody.deepCopy());
    ObjectNode shown = config.putObject("identity").put("persisted", true);
    shown.set("custody", custody.deepCopy());
    var list = ((ObjectNode) shown.get("custody")).putArray("reasons");
    for (String reason : reasons) {
      list.add(reason);
    }
  }

  @Test
  void lockedCustodyIsReportedAndSatisfiesRequireLockedInBothVerifiers() throws Exception {
    custody(true);
    for (boolean required : new boolean[] {false, true}) {
      JsonNode js = bothVerifyEndingWith(required, "custody");
      assertThat(js.at("/steps").get(js.get("steps").size() - 1).get("detail").asText())
          .isEqualTo(javaReport(required).report().steps().getLast().detail())
          .startsWith("KMS key 1234abcd-12ab-34cd-56ef-1234567890ab (origin AWS_KMS, policy sha256")
          .contains(" is locked: ");
    }
  }

  @Test
  void custodyNotLockedIsReportedAndFailsClosedWhenLockedIsRequired() throws Exception {
    custody(
        false,
        "statement 1 (open) allows kms:Decrypt with no condition on the enclave's measurement");

    List<String> reported = javaSteps(false);
    JsonNode jsReported = jsResult(false);
    List<String> required = javaSteps(true);
    JsonNode jsRequired = jsResult(true);

    assertThat(jsSteps(jsReported)).isEqualTo(reported);
    assertThat(reported).last().isEqualTo("passed custody");
    assertThat(jsReported.get("verdict").asText()).isEqualTo("VERIFIED");
    assertThat(jsSteps(jsRequired)).as("js: " + jsRequired).isEqualTo(required);
    assertThat(required).last().isEqualTo("failed custody");
    String why =
        "is NOT locked (as /config says: statement 1 (open) allows kms:Decrypt with no condition"
            + " on the enclave's measurement), and locked custody was required";
    assertThat(javaReport(true).report().steps().getLast().detail()).endsWith(why);
    assertThat(jsRequired.get("verdict").asText())
        .startsWith("NOT VERIFIED: custody check failed: KMS key 1234abcd")
        .endsWith(why);
  }

  @Test
  void requireLockedFailsInBothWhenTheAgentAttestsNoCustody() throws Exception {
    bothFailOnlyTheLastCheck(
        true,
        "custody",
        "the agent attests no custody statement: it keeps no sealed identity under a KMS key"
            + " (serve --state-dir)");
  }

  @Test
  void custodyThatDiffersFromConfigsOrIsOnlyInConfigFailsTheUserDataCheckInBoth() throws Exception {
    custody(true);
    ((ObjectNode) config.at("/identity/custody")).put("locked", false);
    List<String> differs = javaSteps(false);
    JsonNode jsDiffers = jsResult(false);
    preimage.remove("custody");
    List<String> onlyInConfig = javaSteps(false);
    JsonNode jsOnlyInConfig = jsResult(false);

    assertThat(jsSteps(jsDiffers)).as("js: " + jsDiffers).isEqualTo(differs);
    assertThat(jsSteps(jsOnlyInConfig)).as("js: " + jsOnlyInConfig).isEqualTo(onlyInConfig);
    for (JsonNode js : List.of(jsDiffers, jsOnlyInConfig)) {
      assertThat(js.get("verdict").asText())
          .isEqualTo(
              "NOT VERIFIED: user data check failed: the preimage's custody differs from /config's"
                  + " identity.custody");
    }
    assertThat(differs).contains("failed user data", "passed custody");
    assertThat(onlyInConfig).last().isEqualTo("failed user data");
  }

  @Test
  void custodyOfTheWrongShapeFailsTheUserDataCheckInBothNamingWhy() throws Exception {
    custody(true);
    ((ObjectNode) preimage.get("custody")).put("locked", "yes").put("grants", 0);
    List<String> java = javaSteps(true);
    JsonNode js = jsResult(true);

    assertThat(jsSteps(js)).as("js: " + js).isEqualTo(java);
    assertThat(java).containsSubsequence("failed user data", "failed custody");
    assertThat(js.get("verdict").asText())
        .isEqualTo(
            "NOT VERIFIED: user data check failed: the preimage's custody members this verifier"
                + " does not know how to check: \"grants\"; custody.locked is missing or not true"
                + " or false");
  }

  private void attestation(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getQuery();
    byte[] nonce = HEX.parseHex(query.substring(query.indexOf("0x") + 2));
    byte[] userData;
    byte[] document;
    try {
      userData = MessageDigest.getInstance("SHA-256").digest(Jcs.canonicalize(preimage));
      document = nsm.attestation(userData, nonce, key.publicKey());
    } catch (Exception e) {
      throw new IOException(e);
    }
    ObjectNode body =
        MAPPER.createObjectNode().put("document", Base64.getEncoder().encodeToString(document));
    body.set("user_data_preimage", preimage.deepCopy());
    answer(exchange, body);
  }

  /** The body signed as DESIGN §3 says: EIP-191 over the JCS of the body without signature. */
  private void answer(HttpExchange exchange, ObjectNode body) throws IOException {
    body.put("signer", key.address().checksummed());
    body.put("signature", key.signPersonalMessage(Jcs.canonicalize(body)).toHex());
    byte[] bytes = MAPPER.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private ExpectedPcrs pcrs() throws Exception {
    AttestationDocument doc =
        AttestationDocument.parse(CoseSign1.parse(nsm.attestation(null, null, null)).payload());
    ExpectedPcrs pcrs = ExpectedPcrs.none();
    for (int index = 0; index <= 2; index++) {
      pcrs = pcrs.with(index, HEX.formatHex(doc.pcrs().get(index)));
    }
    return pcrs;
  }

  private ObjectNode pcrsJson() throws Exception {
    ObjectNode json = MAPPER.createObjectNode();
    pcrs().values().forEach((index, value) -> json.put("PCR" + index, HEX.formatHex(value)));
    return json;
  }

  private String rootPem() {
    return TrustedRoot.toPem(nsm.rootCertificate());
  }

  private AgentVerifier.AgentReport javaReport(boolean requireLocked) throws Exception {
    return new AgentVerifier(
            new AttestationVerifier(TrustedRoot.of(nsm.rootCertificate()), Clock.systemUTC()),
            HttpClient.newHttpClient(),
            MAPPER,
            random)
        .verify(
            URI.create(url()),
            new AgentVerifier.Options(pcrs(), Duration.ofMinutes(5), false, requireLocked));
  }

  private List<String> javaSteps(boolean requireLocked) throws Exception {
    return javaReport(requireLocked).report().steps().stream()
        .map(
            step ->
                step.outcome().name().toLowerCase(java.util.Locale.ROOT)
                    + " "
                    + step.check().label())
        .toList();
  }

  private JsonNode jsResult(boolean requireLocked) throws Exception {
    ObjectNode request =
        MAPPER
            .createObjectNode()
            .put("url", url())
            .put("root_pem", rootPem())
            .put("require_locked", requireLocked);
    request.set("pcrs", pcrsJson());
    return MAPPER.readTree(
        NodeScript.run(
            Map.of(), "verifier-js/cli/verify-agent.mjs", MAPPER.writeValueAsString(request)));
  }

  private static List<String> jsSteps(JsonNode js) {
    List<String> steps = new ArrayList<>();
    js.get("steps")
        .forEach(
            step -> steps.add(step.get("outcome").asText() + " " + step.get("check").asText()));
    return steps;
  }
}
