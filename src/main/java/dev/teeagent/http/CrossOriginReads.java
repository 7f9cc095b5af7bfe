package dev.teeagent.http;

import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * CORS for the agent's public answers: a page from any origin (e.g. the verification page opened
 * from disk) may read what a GET returns, and may send X-Client-Nonce with it. That is safe because
 * nothing a GET answers is private (hidden values are only hashes) and nothing the agent does
 * depends on who the caller is: no cookies, no ambient credentials ({@code
 * Access-Control-Allow-Credentials} is never sent), and every privileged request is a POST whose
 * body carries its own signature. POST stays same-origin for browsers: a page cannot make its
 * visitors spend the operator's LLM budget and read the result.
 */
final class CrossOriginReads extends Handler.Wrapper {
  static final String ALLOWED_METHODS = "GET, HEAD";
  static final String ALLOWED_HEADERS = "X-Client-Nonce";
  private static final Set<String> READS = Set.of("GET", "HEAD");
  private static final String MAX_AGE_SECONDS = "600";

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    HttpFields headers = request.getHeaders();
    boolean preflight =
        HttpMethod.OPTIONS.is(request.getMethod())
            && headers.contains("Origin")
            && headers.contains("Access-Control-Request-Method");
    if (preflight) {
      if (allowed(headers)) {
        HttpFields.Mutable out = response.getHeaders();
        out.put("Access-Control-Allow-Origin", "*");
        out.put("Access-Control-Allow-Methods", ALLOWED_METHODS);
        out.put("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        out.put("Access-Control-Max-Age", MAX_AGE_SECONDS);
      }
      // Not allowed: an answer without the headers, which the browser reads as a refusal.
      response.setStatus(204);
      callback.succeeded();
      return true;
    }
    if (READS.contains(request.getMethod())) {
      response.getHeaders().put("Access-Control-Allow-Origin", "*");
    }
    return super.handle(request, response, callback);
  }

  private static boolean allowed(HttpFields headers) {
    if (!READS.contains(headers.get("Access-Control-Request-Method"))) {
      return false;
    }
    for (HttpField field : headers.getFields("Access-Control-Request-Headers")) {
      for (String name : field.getValues()) {
        if (!name.isBlank() && !ALLOWED_HEADERS.equalsIgnoreCase(name.strip())) {
          return false;
        }
      }
    }
    return true;
  }
}
