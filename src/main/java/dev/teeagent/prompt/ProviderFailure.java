package dev.teeagent.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.UntrustedText;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Turns what went wrong with the provider into the client's error: one code per kind of failure,
 * messages written here (never an exception's text), and of the provider's own words only its
 * {@code error.message}, shortened and scrubbed of the API key.
 */
final class ProviderFailure {
  private static final int MAX_MESSAGE = 500;

  private ProviderFailure() {}

  /** The call failed before any answer arrived. */
  static AgentException beforeAnswer(IOException e) {
    return switch (e) {
      case SSLException tls ->
          new AgentException(
              ErrorCode.LLM_TLS_FAILED,
              "TLS with the provider failed: its certificate is not trusted by this agent's CA"
                  + " certificates, or the handshake broke");
      case InterruptedIOException timeout ->
          new AgentException(ErrorCode.LLM_TIMEOUT, "the provider did not answer in time");
      case UnknownHostException dns ->
          new AgentException(
              ErrorCode.LLM_CONNECTION_FAILED, "the provider's host name does not resolve");
      case ConnectException refused ->
          new AgentException(ErrorCode.LLM_CONNECTION_FAILED, "could not connect to the provider");
      case NoRouteToHostException unreachable ->
          new AgentException(ErrorCode.LLM_CONNECTION_FAILED, "could not connect to the provider");
      default ->
          new AgentException(
              ErrorCode.LLM_CONNECTION_FAILED,
              "the connection to the provider broke before it answered");
    };
  }

  /** Reading the provider's answer failed part-way. */
  static AgentException whileReading(IOException e) {
    if (e instanceof InterruptedIOException) {
      return new AgentException(
          ErrorCode.LLM_TIMEOUT, "the provider did not finish its answer in time");
    }
    return new AgentException(ErrorCode.LLM_BAD_RESPONSE, "the provider's answer was cut off");
  }

  static AgentException badAnswer(String why) {
    return new AgentException(ErrorCode.LLM_BAD_RESPONSE, "the provider's answer " + why);
  }

  /** A non-2xx answer, after any retries. */
  static AgentException ofStatus(
      int status, byte[] body, ApiKey key, Long retryAfterSeconds, ObjectMapper mapper) {
    String said = key.scrub(errorMessage(body, mapper));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("provider_status", status);
    if (said != null) {
      details.put("provider_message", said);
    }
    String suffix = said == null ? "" : ": " + said;
    if (status >= 300 && status < 400) {
      return new AgentException(
          ErrorCode.LLM_BAD_RESPONSE,
          "the provider answered with a redirect (HTTP " + status + "), which is not followed",
          details);
    }
    if (status == 429) {
      if (retryAfterSeconds != null) {
        details.put(AgentException.RETRY_AFTER_SECONDS, retryAfterSeconds);
      }
      return new AgentException(
          ErrorCode.LLM_RATE_LIMITED, "the provider is rate limiting (HTTP 429)" + suffix, details);
    }
    if (status >= 400 && status < 500) {
      return new AgentException(
          ErrorCode.LLM_REJECTED,
          "the provider refused the request (HTTP " + status + ")" + suffix,
          details);
    }
    return new AgentException(
        ErrorCode.LLM_SERVER_ERROR, "the provider failed (HTTP " + status + ")" + suffix, details);
  }

  /** A 200 answer that carries an {@code error} object instead of choices (OpenRouter does). */
  static AgentException inBody(JsonNode error, ApiKey key) {
    String said = key.scrub(shorten(error.path("message").textValue()));
    Map<String, Object> details = new LinkedHashMap<>();
    JsonNode code = error.path("code");
    if (code.canConvertToInt()) {
      details.put("provider_status", code.intValue());
    }
    if (said != null) {
      details.put("provider_message", said);
    }
    boolean refused = code.canConvertToInt() && code.intValue() >= 400 && code.intValue() < 500;
    return new AgentException(
        refused ? ErrorCode.LLM_REJECTED : ErrorCode.LLM_SERVER_ERROR,
        "the provider reported an error" + (said == null ? "" : ": " + said),
        details);
  }

  /** {@code error.message} of an OpenAI-style error body, or null. */
  private static String errorMessage(byte[] body, ObjectMapper mapper) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      return shorten(mapper.readTree(body).path("error").path("message").textValue());
    } catch (IOException notJson) {
      return null;
    }
  }

  /** The provider's message made safe to quote, or null when it says nothing. */
  static String shorten(String text) {
    return text == null || text.isBlank() ? null : UntrustedText.quote(text.strip(), MAX_MESSAGE);
  }
}
