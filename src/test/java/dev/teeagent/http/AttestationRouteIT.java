package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.config.AttestationSettings;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.testing.NodeScript;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import dev.teeagent.verifier.AttestationVerifier;
import dev.teeagent.verifier.ExpectedPcrs;
import dev.teeagent.verifier.TrustedRoot;
import dev.teeagent.verifier.VerificationOptions;
import dev.teeagent.verifier.VerifiedAttestation;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttestationRouteIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  @StartedAgent private static TestAgent agent;

  /** Checks a document with Node (cborg, OpenSSL, canonicalize, ethers), not our code. */
  private static JsonNode independentCheck(JsonNode answer, TestAgent of) throws Exception {
    ObjectNode input = MAPPER.createObjectNode();
    input.put("document", answer.get("document").asText());
    input.put("root_pem", of.simulatedRootPem());
    input.put("at_ms", answer.get("document_timestamp").asLong());
    input.set("preimage", answer.get("user_data_preimage"));
    return MAPPER.readTree(NodeScript.run("verify-attestation.mjs", input.toString()));
  }

  @Test
  void aFreshDocumentBindsTheCallersNonceTheAgentKeyAndTheAgentsState() throws Exception {
    TestAgent.Reply reply = agent.get("/api/v1/attestation?nonce=0xc0ffee0123");
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
    JsonNode answer = reply.json();
    JsonNode config = agent.get("/api/v1/config").json();

    JsonNode independent = independentCheck(answer, agent);
    assertThat(independent.get("algorithm").asInt()).isEqualTo(-35);
    assertThat(independent.get("signature_valid").asBoolean()).isTrue();
    assertThat(independent.get("chain_valid").asBoolean()).isTrue();
    assertThat(independent.get("nonce").asText()).isEqualTo("0xc0ffee0123");
    assertThat(independent.get("address").asText()).isEqualTo(agent.address());
    assertThat(independent.get("public_key").asText()).isEqualTo(config.get("public_key").asText());
    assertThat(independent.get("user_data_matches").asBoolean()).isTrue();
    assertThat(independent.get("pcrs")).isEqualTo(answer.get("pcrs"));

    JsonNode preimage = answer.get("user_data_preimage");
    assertThat(preimage.get("tee_name").asText()).isEqualTo(TestAgent.TEE_NAME);
    assertThat(preimage.get("operator").asText()).isEqualTo(TestAgent.OPERATOR.checksummed());
    assertThat(preimage.get("address").asText()).isEqualTo(agent.address());
    assertThat(preimage.get("state_hash").asText()).isEqualTo(config.get("state_hash").asText());
    assertThat(answer.get("nonce").asText()).isEqualTo("0xc0ffee0123");
    assertThat(answer.get("attestation_mode").asText()).isEqualTo("simulated");
  }

  @Test
  void ourVerifierAcceptsTheDocumentWithTheSimulatedRootAndItsOwnPcrs() throws Exception {
    JsonNode answer = agent.get("/api/v1/attestation?nonce=0x01").json();
    ExpectedPcrs pcrs =
        ExpectedPcrs.parseJson(
            answer.get("pcrs").toString().getBytes(StandardCharsets.UTF_8), MAPPER);
    VerifiedAttestation verified =
        new AttestationVerifier(
                TrustedRoot.fromPem(agent.simulatedRootPem().getBytes(StandardCharsets.US_ASCII)),
                Clock.systemUTC())
            .verify(
                Base64.getDecoder().decode(answer.get("document").asText()),
                VerificationOptions.atDocumentTime()
                    .freshWithin(Duration.ofMinutes(1))
                    .withPcrs(pcrs)
                    .withNonce(new byte[] {1}));
    assertThat(verified.document().pcrs()).hasSize(16);
  }

  @Test
  void theStateHashInUserDataFollowsOperatorCommands() {
    String before =
        agent
            .get("/api/v1/attestation?nonce=0x02")
            .json()
            .at("/user_data_preimage/state_hash")
            .asText();
    agent.operator().set("llm_model", "test-model").apply();
    JsonNode after = agent.get("/api/v1/attestation?nonce=0x03").json();
    String afterHash = after.at("/user_data_preimage/state_hash").asText();
    assertThat(afterHash)
        .isNotEqualTo(before)
        .isEqualTo(agent.get("/api/v1/config").json().get("state_hash").asText());
  }

  @Test
  void badNoncesAreSignedBadQueryAnswers() {
    for (String query :
        new String[] {
          "",
          "?nonce=",
          "?nonce=0x",
          "?nonce=0x123",
          "?nonce=0xzz",
          "?nonce=c0ffee",
          "?nonce=0x" + "ab".repeat(65),
          "?nonce=0x01&nonce=0x02",
          "?nonce=0x01&other=1"
        }) {
      TestAgent.Reply reply = agent.get("/api/v1/attestation" + query);
      assertThat(reply.status()).as(query).isEqualTo(400);
      assertThat(reply.errorCode()).as(query).isEqualTo("bad_query");
      assertThat(reply.verifiedSigner().checksummed()).isEqualTo(agent.address());
    }
    assertThat(agent.get("/api/v1/attestation?nonce=0x" + "ab".repeat(64)).status()).isEqualTo(200);
  }

  @Test
  void configCarriesTheModeAndACodeAttestationWithoutNonce() throws Exception {
    JsonNode config = agent.get("/api/v1/config").json();
    assertThat(config.get("attestation_mode").asText()).isEqualTo("simulated");
    JsonNode code = config.get("code_attestation");
    assertThat(code.get("nonce").isNull()).isTrue();
    JsonNode independent = independentCheck(code, agent);
    assertThat(independent.get("signature_valid").asBoolean()).isTrue();
    assertThat(independent.get("chain_valid").asBoolean()).isTrue();
    assertThat(independent.get("nonce").isNull()).isTrue();
    assertThat(independent.get("address").asText()).isEqualTo(agent.address());
    assertThat(independent.get("user_data_matches").asBoolean()).isTrue();
  }

  @Test
  void requestsBeyondTheGlobalRateAreRefusedWith429() {
    Clock frozen = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);
    AttestationSettings twoPerSecond =
        new AttestationSettings(
            dev.teeagent.nsm.AttestationMode.SIMULATED,
            2,
            AttestationSettings.DEFAULT_MAX_CLOCK_SKEW,
            Optional.empty());
    try (TestAgent limited = TestAgent.start(twoPerSecond, frozen, new SecureRandom())) {
      assertThat(limited.get("/api/v1/attestation?nonce=0x01").status()).isEqualTo(200);
      assertThat(limited.get("/api/v1/attestation?nonce=0x02").status()).isEqualTo(200);
      TestAgent.Reply refused = limited.get("/api/v1/attestation?nonce=0x03");
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.errorCode()).isEqualTo("rate_limited");
      assertThat(refused.header("Retry-After")).isEqualTo("1");
      assertThat(refused.verifiedSigner().checksummed()).isEqualTo(limited.address());
      // Other endpoints are not NSM calls and stay open.
      assertThat(limited.get("/api/v1/config").status()).isEqualTo(200);
    }
  }

  @Test
  void anAgentClockOffTheNsmsSignedTimeAnswers503ClockSkewEverywhere() {
    Clock nsmClock = Clock.systemUTC();
    Clock agentClock = Clock.offset(nsmClock, Duration.ofMinutes(10));
    SecureRandom random = new SecureRandom();
    try (TestAgent skewed =
        TestAgent.start(SimulatedNsm.start(nsmClock, random), agentClock, random)) {
      for (String path : new String[] {"/api/v1/config", "/api/v1/attestation?nonce=0x01"}) {
        TestAgent.Reply reply = skewed.get(path, Map.of());
        assertThat(reply.status()).as(path).isEqualTo(503);
        assertThat(reply.errorCode()).isEqualTo("clock_skew");
        assertThat(reply.json().at("/error/message").asText()).contains("600 s off");
        assertThat(reply.verifiedSigner().checksummed()).isEqualTo(skewed.address());
      }
    }
    try (TestAgent close =
        TestAgent.start(
            SimulatedNsm.start(nsmClock, random),
            Clock.offset(nsmClock, Duration.ofSeconds(20)),
            random)) {
      assertThat(close.get("/api/v1/config").status()).isEqualTo(200);
    }
  }

  @Test
  void pcrsAreReportedAsNitroCliPrintsThem() {
    JsonNode pcrs = agent.get("/api/v1/attestation?nonce=0x04").json().get("pcrs");
    assertThat(pcrs.get("PCR0").asText()).matches("[0-9a-f]{96}");
    assertThat(HexFormat.of().parseHex(pcrs.get("PCR3").asText())).isEqualTo(new byte[48]);
  }
}
