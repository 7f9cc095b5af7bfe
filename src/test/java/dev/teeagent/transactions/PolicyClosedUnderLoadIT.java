package dev.teeagent.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.testing.Anvil;
import dev.teeagent.testing.TestAgent;
import dev.teeagent.testing.TransactionRequests;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A batch that sets {@code tx_open=false} takes effect at once (issue 10 §2: the review saw 4
 * open-mode transactions recorded after the batch's 200). Anonymous clients sign concurrently
 * against a real chain while the operator closes and reopens the policy many times; no open-mode
 * transaction may sit in the audit log between a closing batch and the reopening one.
 */
class PolicyClosedUnderLoadIT {
  private static final int CLIENTS = 8;
  private static final int CYCLES = 40;

  private record Closed(long from, long until) {}

  @Test
  void noOpenModeTransactionIsRecordedBetweenTheBatchThatClosesThePolicyAndItsReopening()
      throws Exception {
    try (Anvil anvil = Anvil.start();
        TestAgent agent = TestAgent.start()) {
      anvil.setBalance(agent.address(), BigInteger.TEN.pow(20));
      agent
          .operator()
          .set("tx_open", "true")
          .set("tx_max_value_wei", "1")
          .set("tx_budget_wei", BigInteger.TEN.pow(19).toString())
          .set("tx_allowed_rpc_urls", anvil.rpcUrl())
          .apply();
      String recipient = SigningKey.generate(new SecureRandom()).address().checksummed();
      AtomicBoolean done = new AtomicBoolean();
      AtomicInteger signed = new AtomicInteger();
      List<Closed> closings = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
        List<Future<?>> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          clients.add(
              pool.submit(
                  () -> {
                    while (!done.get()) {
                      TestAgent.Reply reply =
                          TransactionRequests.to(agent, anvil).transfer(recipient, 1).send();
                      if (reply.status() == 200) {
                        signed.incrementAndGet();
                      } else if (!"tx_authorization_required".equals(reply.errorCode())) {
                        throw new AssertionError(reply.text());
                      }
                    }
                    return null;
                  }));
        }
        try {
          for (int cycle = 0; cycle < CYCLES; cycle++) {
            int before = signed.get();
            while (signed.get() < before + CLIENTS) {
              Thread.onSpinWait();
            }
            long close =
                agent.operator().set("tx_open", "false").apply().get("audit_index").asLong();
            long reopen =
                agent.operator().set("tx_open", "true").apply().get("audit_index").asLong();
            closings.add(new Closed(close, reopen));
          }
        } finally {
          done.set(true);
        }
        for (Future<?> client : clients) {
          client.get();
        }
      }

      List<Long> openWhileClosed = new ArrayList<>();
      long openEntries = 0;
      for (JsonNode entry : auditLog(agent)) {
        if (!"open".equals(entry.at("/payload/mode").asText())) {
          continue;
        }
        openEntries++;
        long index = entry.get("index").asLong();
        if (closings.stream().anyMatch(c -> index > c.from() && index < c.until())) {
          openWhileClosed.add(index);
        }
      }
      assertThat(openEntries).isGreaterThanOrEqualTo((long) CLIENTS * CYCLES);
      assertThat(openWhileClosed).as("open-mode entries between closing and reopening").isEmpty();
    }
  }

  private static List<JsonNode> auditLog(TestAgent agent) {
    List<JsonNode> entries = new ArrayList<>();
    while (true) {
      JsonNode page =
          agent.get("/api/v1/audit?from=" + entries.size() + "&limit=500").json().get("entries");
      if (page.isEmpty()) {
        return entries;
      }
      page.forEach(entries::add);
    }
  }
}
