package dev.teeagent.verifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.SignedBodyVerifier;
import dev.teeagent.tls.PinningTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * One call to an agent whose answer must be signed — the one way the verifier and the CLIs fetch:
 * reads at most 1 MiB (the host in between is not trusted and may send anything), verifies the
 * body's signature, and keeps the TLS key of the connection that carried it. What the client bounds
 * besides (redirects, deadlines, TLS trust) is the {@link HttpClient} it is given. A failure is a
 * sentence that says what happened, never an exception's name or text.
 */
public final class SignedFetch {
  /** No answer of an agent comes near this. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  private final HttpClient http;
  private final SignedBodyVerifier verifier;

  public SignedFetch(HttpClient http, ObjectMapper mapper) {
    this.http = http;
    this.verifier = new SignedBodyVerifier(mapper);
  }

  /** A signed answer, whatever its status, and the pin of the TLS key that carried it. */
  public record Answer(
      int status, byte[] body, SignedBodyVerifier.Verified verified, Optional<String> peerPin) {}

  /** The call failed, or its answer was too large or not signed; the message is a sentence. */
  public static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message, null, false, false);
    }
  }

  public Answer fetch(HttpRequest request) throws Failure {
    HttpResponse<InputStream> response;
    byte[] body;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        body = in.readNBytes(MAX_BODY_BYTES + 1);
      }
    } catch (IOException e) {
      throw new Failure(reason(request.uri(), e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new Failure("the agent's answer is larger than 1 MiB");
    }
    Optional<SignedBodyVerifier.Verified> verified = verifier.verify(body);
    if (verified.isEmpty()) {
      throw new Failure(
          "the agent's answer (HTTP "
              + response.statusCode()
              + ") carries no valid agent signature");
    }
    return new Answer(
        response.statusCode(),
        body,
        verified.get(),
        PinningTrustManager.peerPin(response.sslSession()));
  }

  /** What a failed call to {@code uri} means, as one sentence that says what to do. */
  public static String reason(URI uri, IOException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof PinningTrustManager.PinMismatch mismatch) {
        return "refused " + uri.getHost() + ": " + mismatch.getMessage();
      }
    }
    int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    String where = uri.getHost() + ":" + port;
    return switch (e) {
      case ConnectException refused -> "nothing answers at " + where + " — is the agent running?";
      case HttpConnectTimeoutException slow ->
          "no connection to " + where + " in time — check the URL and the network";
      case HttpTimeoutException slow ->
          "the agent at "
              + where
              + " did not answer within the deadline ("
              + e.getMessage()
              + ") — a stalled host; try again, or allow a longer wait (--timeout)";
      case SSLException tls ->
          "the TLS handshake with "
              + where
              + " failed — check the URL's scheme (http or https) and the host's certificate";
      default ->
          e.getCause() instanceof UnknownHostException || e instanceof UnknownHostException
              ? "the host " + uri.getHost() + " is not known — check the URL"
              : "the connection broke before a whole answer arrived";
    };
  }
}
