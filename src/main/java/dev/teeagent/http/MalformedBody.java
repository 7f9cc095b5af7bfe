package dev.teeagent.http;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Jackson's refusal of a request body, as raised by {@link JsonBodies}. Only this is the client's
 * fault (a 4xx); the same Jackson exception from anywhere else, e.g. an upstream's answer that does
 * not parse, is the agent's problem and a 500 (see {@link ErrorMapper}).
 */
final class MalformedBody extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MalformedBody(JsonProcessingException cause) {
    super(null, cause, false, false);
  }

  JsonProcessingException jackson() {
    return (JsonProcessingException) getCause();
  }
}
