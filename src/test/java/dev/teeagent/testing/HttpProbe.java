package dev.teeagent.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waits for an agent process to answer, for tests that start the packaged jar. */
public final class HttpProbe {
  private HttpProbe() {}

  /** Polls {@code uri} until it answers 200 and returns the body; fails after {@code timeout}. */
  public static String awaitOk(URI uri, Duration timeout) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response =
            client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          SignedAnswers.record(
              response.body(),
              SignedAnswers.Exchange.http(
                  200, response.headers().firstValue("Content-Type").orElse(null)));
          return response.body();
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError(uri + " did not answer 200 within " + timeout.toSeconds() + " s");
  }
}
