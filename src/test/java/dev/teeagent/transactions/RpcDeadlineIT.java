package dev.teeagent.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.testing.DrippingHost;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An RPC node (or the host in between) that sends headers and then drips its answer a byte at a
 * time, never silent long enough for a read timeout: the call still ends at its overall deadline.
 */
class RpcDeadlineIT {
  @Test
  @Timeout(60)
  void aDrippedAnswerEndsAtTheCallDeadlineAsRpcTimeout() throws Exception {
    try (DrippingHost host = new DrippingHost()) {
      ChainRpc rpc =
          new RpcConnector(Duration.ofSeconds(2), RpcConnector.MAX_ANSWER_BYTES)
              .connect(RpcUrl.parse(host.url() + "/rpc"));
      assertThatThrownBy(rpc::chainId)
          .isInstanceOfSatisfying(
              AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RPC_TIMEOUT));
    }
  }
}
