package dev.teeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.SignedBodyVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * HTTP to one agent, for the CLIs: every answer must be a body signed by the expected agent
 * address, or the call fails. Follows no redirects (the host in between is not trusted).
 */
final class AgentClient {
  private final URI base;
  private final ObjectMapper mapper;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  AgentClient(String url, ObjectMapper mapper) throws CliFailure {
    String trimmed = url.replaceAll("/+$", "");
    try {
      this.base = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw new CliFailure("--url " + url + " is not a URL");
    }
    if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
      throw new CliFailure("--url must be an http:// or https:// URL");
    }
    this.mapper = mapper;
  }

  /** A raw answer and, when its signature verifies, who signed it. */
  record Answer(int status, byte[] body, Optional<Address> signer, ObjectNode json) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  Answer get(String pathAndQuery) throws CliFailure {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
  }

  Answer post(String path, byte[] body, String clientNonce) throws CliFailure {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .header("X-Client-Nonce", clientNonce)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private URI uri(String pathAndQuery) {
    return URI.create(base + "/api/v1" + pathAndQuery);
  }

  private Answer send(HttpRequest.Builder request) throws CliFailure {
    HttpResponse<byte[]> response;
    try {
      response =
          http.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new CliFailure("cannot reach the agent at " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure("interrupted");
    }
    Optional<SignedBodyVerifier.Verified> verified =
        new SignedBodyVerifier(mapper).verify(response.body());
    if (verified.isEmpty()) {
      throw new CliFailure(
          "the agent's answer (HTTP " + response.statusCode() + ") is not a signed JSON body");
    }
    return new Answer(
        response.statusCode(),
        response.body(),
        Optional.of(verified.get().signer()),
        verified.get().body());
  }
}
