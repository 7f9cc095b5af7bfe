package dev.teeagent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.Secp256k1;
import dev.teeagent.testing.StartedAgent;
import dev.teeagent.testing.TestAgent;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

class ConfigRouteIT {
  @StartedAgent private static TestAgent agent;

  @Test
  void configIsSignedByTheAgentKeyItAnnounces() {
    TestAgent.Reply reply = agent.get("/api/v1/config", Map.of("X-Client-Nonce", "c1"));
    assertThat(reply.status()).isEqualTo(200);
    Address signer = reply.verifiedSigner();
    JsonNode json = reply.json();
    assertThat(signer.checksummed()).isEqualTo(agent.address());
    assertThat(json.get("address").asText()).isEqualTo(agent.address());
    byte[] publicKey = Numeric.hexStringToByteArray(json.get("public_key").asText());
    assertThat(Secp256k1.addressOf(publicKey)).isEqualTo(signer);
    assertThat(json.get("client_nonce").asText()).isEqualTo("c1");
  }

  @Test
  void configDescribesTheAgent() {
    JsonNode json = agent.get("/api/v1/config").json();
    assertThat(json.get("tee_name").asText()).isEqualTo(TestAgent.TEE_NAME);
    assertThat(json.get("operator").asText()).isEqualTo(TestAgent.OPERATOR.checksummed());
    assertThat(json.get("attestation_mode").asText()).isEqualTo("simulated");
    assertThat(json.get("version").asText()).isNotBlank();
    assertThat(json.get("started_at").asLong()).isPositive();
    JsonNode domain = json.get("eip712_domain");
    assertThat(domain.get("name").asText()).isEqualTo(TestAgent.TEE_NAME);
    assertThat(domain.get("version").asText()).isEqualTo("1");
    assertThat(domain.get("verifyingContract").asText()).isEqualTo(agent.address());
  }

  @Test
  void eachBootHasItsOwnKey() {
    try (TestAgent other = TestAgent.start()) {
      assertThat(other.address()).isNotEqualTo(agent.address());
      assertThat(other.get("/api/v1/config").verifiedSigner().checksummed())
          .isEqualTo(other.address());
    }
  }
}
