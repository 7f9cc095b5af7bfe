package dev.teeagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Address;
import dev.teeagent.tls.PinningTrustManager;
import dev.teeagent.tls.SpkiPin;
import dev.teeagent.verifier.SignedFetch;
import dev.teeagent.verifier.UserDataPreimage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * HTTP to one agent, for the CLIs: every answer must be a body signed by the expected agent
 * address, or the call fails. Follows no redirects and reads at most 1 MiB (the host in between is
 * not trusted).
 */
final class AgentClient {
  private final URI base;
  private final BoundedHttpClient http;
  private final SignedFetch fetch;
  private final PinningTrustManager pins = new PinningTrustManager();

  AgentClient(String url, ObjectMapper mapper) throws CliFailure {
    this(url, mapper, BoundedHttpClient.DEFAULT_DEADLINE);
  }

  AgentClient(String url, ObjectMapper mapper, Duration deadline) throws CliFailure {
    this.http = new BoundedHttpClient(deadline, pins);
    String trimmed = url.replaceAll("/+$", "");
    try {
      this.base = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw new CliFailure("--url " + url + " is not a URL");
    }
    if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
      throw new CliFailure("--url must be an http:// or https:// URL");
    }
    if (base.getHost() == null) {
      throw new CliFailure("--url " + url + " names no host: give http(s)://HOST[:PORT]");
    }
    this.fetch = new SignedFetch(http, mapper);
  }

  /** The HTTP client every CLI uses to reach an agent (see {@link BoundedHttpClient}). */
  HttpClient httpClient() {
    return http;
  }

  URI base() {
    return base;
  }

  boolean https() {
    return "https".equals(base.getScheme());
  }

  /**
   * Over https://, from now on every connection must end at the TLS key {@code preimage} attests
   * (checked in the handshake, before a request is sent); over http:// nothing changes.
   */
  void pinTo(UserDataPreimage preimage) throws CliFailure {
    if (!https()) {
      return;
    }
    if (!SpkiPin.isPin(preimage.tlsSpkiSha256())) {
      throw new CliFailure(
          "the agent attests no TLS key (no tls_spki_sha256): refusing https:// to it");
    }
    pins.pinTo(preimage.tlsSpkiSha256());
  }

  /**
   * Fails with a sentence when nothing answers at the URL, before a verifier would report the same
   * as a failed step: {@code /health} is the agent's one unsigned answer.
   */
  void requireReachable() throws CliFailure {
    try {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(uri("/health")).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        in.readNBytes(SignedFetch.MAX_BODY_BYTES);
      }
    } catch (IOException e) {
      throw new CliFailure(SignedFetch.reason(base, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure("interrupted");
    }
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
    if (https() && pins.pin().isEmpty()) {
      throw new CliFailure(
          "nothing is sent over https:// before the agent's attestation names its TLS key");
    }
    SignedFetch.Answer answer;
    try {
      answer = fetch.fetch(request.build());
    } catch (SignedFetch.Failure e) {
      throw new CliFailure(e.getMessage());
    }
    if (https()) {
      String attested = pins.pin().orElseThrow();
      String presented = answer.peerPin().orElse("(no TLS session)");
      if (!SpkiPin.same(presented, attested)) {
        throw new CliFailure("refused: " + PinningTrustManager.mismatch(presented, attested));
      }
    }
    return new Answer(
        answer.status(),
        answer.body(),
        Optional.of(answer.verified().signer()),
        answer.verified().body());
  }
}
