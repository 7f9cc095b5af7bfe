package dev.teeagent.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.variables.VariableSource;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Semaphore;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * Answers prompts through the operator's provider. In order: the provider variables (503 when
 * unusable), the model (request or {@code llm_model}) and {@code max_tokens} within the operator's
 * bounds (403: anonymous clients spend the operator's key), a free slot among the calls in flight
 * (503 {@code llm_busy}), the per-minute limit (429), then the call; a refused prompt counts
 * nowhere. The answer carries what was asked and the hash of the exact bytes sent, so the signature
 * binds question, answer and provider.
 */
public final class PromptService {
  static final long MAX_ANSWER_BYTES = 8L * 1024 * 1024;

  private final VariableSource variables;
  private final ChatCompletionsClient client;
  private final ObjectMapper mapper;
  private final PromptRateLimit rateLimit;
  private final Semaphore inFlight;

  public PromptService(
      VariableSource variables,
      ChatCompletionsClient client,
      ObjectMapper mapper,
      Clock clock,
      int maxConcurrent) {
    this.variables = variables;
    this.client = client;
    this.mapper = mapper;
    this.rateLimit = new PromptRateLimit(clock);
    this.inFlight = new Semaphore(maxConcurrent);
  }

  /** Asks the provider and returns its whole answer. */
  public PromptAnswer answer(PromptRequest request) {
    Call call = admit(request);
    try (Response response = client.send(call.variables(), call.sent().body(), false)) {
      JsonNode completion =
          Completions.parse(read(response.body().source()), call.variables().apiKey(), mapper);
      return PromptAnswer.of(
          call.model(), completion, request, call.sent(), call.variables().provider(), null);
    } finally {
      inFlight.release();
    }
  }

  /**
   * Asks the provider for a stream and relays its events to {@code sink} as they come; returns the
   * assembled answer once the provider is done. Nothing is sent to the sink before the provider has
   * accepted the request, so early failures are ordinary error answers.
   *
   * @throws IOException only when the sink fails (the client has gone)
   */
  public PromptAnswer stream(PromptRequest request, EventSink sink) throws IOException {
    Call call = admit(request);
    try (Response response = client.send(call.variables(), call.sent().body(), true)) {
      String type = response.header("Content-Type", "");
      if (!type.startsWith("text/event-stream")) {
        throw ProviderFailure.badAnswer("is not an event stream");
      }
      StreamRelay relay = new StreamRelay(sink, mapper, call.variables().apiKey());
      JsonNode completion = relay.run(new SseReader(response.body().source()));
      Completions.requireChoices(completion);
      return PromptAnswer.of(
          call.model(),
          completion,
          request,
          call.sent(),
          call.variables().provider(),
          relay.streamHash());
    } finally {
      inFlight.release();
    }
  }

  /**
   * The busy and per-minute checks alone, made before the request body is read, so that a prompt
   * refused for either costs no parsing; {@link #admit} repeats them when it takes the slot.
   */
  public void refuseIfBusy() {
    if (inFlight.availablePermits() == 0) {
      throw busy();
    }
    rateLimit.check(PromptVariables.maxPerMinute(variables));
  }

  private static AgentException busy() {
    return new AgentException(
        ErrorCode.LLM_BUSY,
        "too many prompts in flight; try again shortly",
        Map.of(AgentException.RETRY_AFTER_SECONDS, 1));
  }

  /** A prompt that passed every check and holds a slot; the caller must release it. */
  record Call(PromptVariables variables, String model, ProviderRequest sent) {}

  private Call admit(PromptRequest request) {
    PromptVariables vars = PromptVariables.read(variables);
    String model = request.model() != null ? request.model() : vars.defaultModel().orElse(null);
    if (model == null) {
      throw new AgentException(
          ErrorCode.MISSING_FIELD, "model is required: the operator has set no llm_model");
    }
    vars.requireAllowed(model, request.maxTokens());
    ProviderRequest sent =
        ProviderRequest.build(request, model, request.maxTokensOr(vars.maxTokens()), mapper);
    // The slot first: a prompt refused as busy must not count against the minute's limit.
    if (!inFlight.tryAcquire()) {
      throw busy();
    }
    try {
      rateLimit.admit(vars.maxPerMinute());
    } catch (RuntimeException refused) {
      inFlight.release();
      throw refused;
    }
    return new Call(vars, model, sent);
  }

  private static byte[] read(BufferedSource source) {
    try {
      if (source.request(MAX_ANSWER_BYTES + 1)) {
        throw ProviderFailure.badAnswer("is larger than 8 MiB");
      }
      return source.getBuffer().readByteArray();
    } catch (IOException e) {
      throw ProviderFailure.whileReading(e);
    }
  }
}
