package dev.teeagent.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.http.RequestEcho;
import dev.teeagent.http.ResponseSigner;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.testing.FakeLlmProvider;
import dev.teeagent.testing.PromptBody;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Locale;

/**
 * For bench/prompt.sh: the CPU time of each stage of one prompt in this process, without HTTP —
 * what the agent itself spends, apart from the network hops. Single thread, mean of the last of
 * three rounds.
 */
public final class PromptCpuCost {
  private PromptCpuCost() {}

  public static String measure(int rounds) throws Exception {
    ObjectMapper mapper = JsonMappers.strict();
    String body =
        PromptBody.ask("What's the weather in Paris?")
            .system("Answer in one line.")
            .weatherTool()
            .json();
    byte[] answerBytes =
        FakeLlmProvider.fixture("openrouter-tool-call.json").getBytes(StandardCharsets.UTF_8);
    ApiKey key = new ApiKey(FakeLlmProvider.API_KEY);
    ResponseSigner signer =
        new ResponseSigner("bench", SigningKey.generate(new SecureRandom()), Clock.systemUTC());
    RequestEcho echo = new RequestEcho("POST", "/api/v1/prompt", null, null);
    double[] micros = new double[4];
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      PromptRequest request = null;
      for (int i = 0; i < rounds; i++) {
        request = mapper.readValue(body, PromptRequest.class);
      }
      long t1 = System.nanoTime();
      ProviderRequest sent = null;
      for (int i = 0; i < rounds; i++) {
        sent =
            ProviderRequest.build(
                request, FakeLlmProvider.MODEL, request.maxTokensOr(4096), mapper);
      }
      long t2 = System.nanoTime();
      JsonNode completion = null;
      for (int i = 0; i < rounds; i++) {
        completion = Completions.parse(answerBytes, key, mapper);
      }
      long t3 = System.nanoTime();
      PromptAnswer answer =
          PromptAnswer.of(FakeLlmProvider.MODEL, completion, request, sent, "https://x", null);
      for (int i = 0; i < rounds; i++) {
        ObjectNode payload = mapper.valueToTree(answer);
        signer.sign(200, payload, echo, null);
      }
      long t4 = System.nanoTime();
      micros = new double[] {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
    }
    return String.format(
        Locale.ROOT,
        "| parse and check the prompt | %.1f |%n"
            + "| canonical provider body (JCS) | %.1f |%n"
            + "| parse and check the provider's answer | %.1f |%n"
            + "| signed answer (request hash, tree, JCS, EIP-191 signature) | %.1f |%n",
        micros[0] / rounds / 1e3,
        micros[1] / rounds / 1e3,
        micros[2] / rounds / 1e3,
        micros[3] / rounds / 1e3);
  }
}
