package dev.teeagent.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.error.AgentException;
import dev.teeagent.json.JsonMappers;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request body as the strict mapper reads it: what is accepted, what is a 400 and why. */
class SignTransactionRequestTest {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final String TO = "0x86693CbE3f2581DF512635823F46f0d593D96dbA";

  private static SignTransactionRequest parse(String transaction, String rest) throws Exception {
    return MAPPER.readValue(
        "{\"transaction\":"
            + transaction
            + ",\"rpc_url\":\"https://sepolia.base.org\",\"chain_id\":84532"
            + rest
            + "}",
        SignTransactionRequest.class);
  }

  private static Throwable refusal(String transaction, String rest) {
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(() -> parse(transaction, rest));
    return thrown.getCause() instanceof AgentException agent ? agent : thrown;
  }

  @Test
  void acceptsTheSeedsEthTransferWithDefaults() throws Exception {
    SignTransactionRequest request =
        parse("{\"to\":\"" + TO + "\",\"value\":3,\"data\":\"0x\"}", "");
    assertThat(request.broadcast()).isTrue();
    assertThat(request.authorization()).isNull();
    assertThat(request.chain()).isEqualTo(84532);
    assertThat(request.transaction().value().value()).isEqualTo(3);
    assertThat(request.transaction().hasCall()).isFalse();
    assertThat(request.transaction().requestedType()).isEmpty();
  }

  @Test
  void readsAmountsAsDecimalHexOrSafeIntegers() throws Exception {
    String big = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    assertThat(
            parse("{\"to\":\"" + TO + "\",\"value\":\"" + big + "\"}", "")
                .transaction()
                .value()
                .value())
        .isEqualTo(new BigInteger(big));
    assertThat(
            parse("{\"to\":\"" + TO + "\",\"value\":\"0x10\"}", "").transaction().value().value())
        .isEqualTo(16);
    assertThat(
            parse("{\"to\":\"" + TO + "\",\"value\":9007199254740992}", "")
                .transaction()
                .value()
                .value())
        .isEqualTo(9007199254740992L);
    assertThat(refusal("{\"to\":\"" + TO + "\",\"value\":9007199254740993}", ""))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("2^53");
    assertThat(refusal("{\"to\":\"" + TO + "\",\"value\":-1}", ""))
        .isInstanceOf(AgentException.class);
    assertThat(refusal("{\"to\":\"" + TO + "\",\"value\":1.5}", ""))
        .isInstanceOf(AgentException.class);
  }

  @Test
  void lowercasesDataAndKnowsItIsACall() throws Exception {
    TransactionFields tx =
        parse("{\"to\":\"" + TO + "\",\"data\":\"0xA9059CBB00\"}", "").transaction();
    assertThat(tx.data()).isEqualTo("0xa9059cbb00");
    assertThat(tx.hasCall()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"value\":1}",
        "{\"to\":\"0x123\"}",
        "{\"to\":\"0x86693cBE3f2581DF512635823F46f0d593D96dbA\"}",
        "{\"to\":\"" + TO + "\",\"data\":\"0xabc\"}",
        "{\"to\":\"" + TO + "\",\"data\":\"abcd\"}",
        "{\"to\":\"" + TO + "\",\"type\":1}",
        "{\"to\":\"" + TO + "\",\"type\":3}",
        "{\"to\":\"" + TO + "\",\"gas\":20999}",
        "{\"to\":\"" + TO + "\",\"gas_price\":1,\"max_fee_per_gas\":2}",
        "{\"to\":\"" + TO + "\",\"type\":0,\"max_priority_fee_per_gas\":2}",
        "{\"to\":\"" + TO + "\",\"type\":2,\"gas_price\":2}",
        "{\"to\":\"" + TO + "\",\"max_fee_per_gas\":1,\"max_priority_fee_per_gas\":2}"
      })
  void refusesAMalformedTransactionNamingTheField(String transaction) {
    assertThat(refusal(transaction, ""))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("transaction");
  }

  @Test
  void neverTakesTheNonceOrSenderFromTheClient() {
    assertThatThrownBy(() -> parse("{\"to\":\"" + TO + "\",\"nonce\":7}", ""))
        .hasMessageContaining("nonce");
    assertThatThrownBy(() -> parse("{\"to\":\"" + TO + "\",\"from\":\"" + TO + "\"}", ""))
        .hasMessageContaining("from");
  }

  @Test
  void needsAChainIdInRangeWhenGivenAndAnAllowedRpcUrl() throws Exception {
    String tx = "{\"to\":\"" + TO + "\"}";
    // Left out, the policy may pin it (TransactionPolicy.pinChain, ChainIdPinIT).
    assertThat(
            MAPPER
                .readValue(
                    "{\"transaction\":" + tx + ",\"rpc_url\":\"https://x.org\"}",
                    SignTransactionRequest.class)
                .chainId())
        .isNull();
    assertThatThrownBy(
            () ->
                MAPPER.readValue(
                    "{\"transaction\":" + tx + ",\"rpc_url\":\"https://x.org\",\"chain_id\":0}",
                    SignTransactionRequest.class))
        .hasMessageContaining("chain_id");
    assertThatThrownBy(
            () ->
                MAPPER.readValue(
                    "{\"transaction\":"
                        + tx
                        + ",\"rpc_url\":\"http://10.0.0.1:8545\",\"chain_id\":1}",
                    SignTransactionRequest.class))
        .hasMessageContaining("loopback");
    assertThatThrownBy(
            () ->
                MAPPER.readValue(
                    "{\"transaction\":" + tx + ",\"rpc_url\":\"https://u:p@x.org\",\"chain_id\":1}",
                    SignTransactionRequest.class))
        .hasMessageContaining("user info");
  }

  @Test
  void needsEveryMemberOfAnAuthorization() {
    assertThat(
            refusal(
                "{\"to\":\"" + TO + "\"}",
                ",\"authorization\":{\"nonce\":0,\"deadline\":1,\"signature\":\"0x\"}"))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("max_fee_wei");
  }
}
