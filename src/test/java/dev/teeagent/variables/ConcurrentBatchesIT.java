package dev.teeagent.variables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.testing.TestAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Batches racing for one nonce: exactly one wins, and nothing of the others is applied. */
class ConcurrentBatchesIT {
  private static final int CLIENTS = 50;

  @Test
  void fiftyParallelClientsWithTheSameNonceGetExactlyOneAccepted() throws Exception {
    try (TestAgent agent = TestAgent.start()) {
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        bodies.add(agent.operator().set("racer", "client-" + i).set("racer_" + i, "x").body());
      }
      CountDownLatch go = new CountDownLatch(1);
      List<Future<TestAgent.Reply>> replies = new ArrayList<>();
      try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
        for (String body : bodies) {
          replies.add(
              clients.submit(
                  () -> {
                    go.await();
                    return agent.post("/api/v1/variables", body);
                  }));
        }
        go.countDown();
        List<Integer> accepted = new ArrayList<>();
        int stale = 0;
        for (int i = 0; i < CLIENTS; i++) {
          TestAgent.Reply reply = replies.get(i).get();
          if (reply.status() == 200) {
            accepted.add(i);
          } else if ("stale_nonce".equals(reply.errorCode())) {
            stale++;
          }
        }
        assertThat(accepted).hasSize(1);
        assertThat(stale).isEqualTo(CLIENTS - 1);

        JsonNode variables = agent.get("/api/v1/variables").json();
        assertThat(variables.get("operator_nonce").asText()).isEqualTo("1");
        int winner = accepted.getFirst();
        assertThat(
                agent.get("/api/v1/variables/racer").json().get("variable").get("value").asText())
            .isEqualTo("client-" + winner);
        assertThat(variables.get("variables")).hasSize(2);
        assertThat(agent.get("/api/v1/audit").json().get("total").asInt()).isEqualTo(1);
      }
    }
  }
}
