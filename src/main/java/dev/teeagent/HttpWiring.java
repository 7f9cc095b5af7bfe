package dev.teeagent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.config.AgentSettings;
import dev.teeagent.config.ListenerSettings;
import dev.teeagent.config.PortInUseException;
import dev.teeagent.http.AgentHttpServer;
import dev.teeagent.http.ApiRoute;
import dev.teeagent.http.HttpsConnector;
import dev.teeagent.http.ResponseSigner;
import dev.teeagent.tls.TlsIdentity;
import java.net.BindException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Wires the HTTP API: the routes behind the signer on the plain port and, with a TLS identity, the
 * HTTPS port. A port another program holds ends the start with {@link PortInUseException}.
 */
record HttpWiring(AgentHttpServer server, int port, OptionalInt httpsPort) {
  static HttpWiring listen(
      AgentSettings settings,
      List<ApiRoute> routes,
      ResponseSigner signer,
      ObjectMapper mapper,
      Optional<TlsIdentity> tls,
      SecureRandom random,
      OpenedParts opened) {
    ListenerSettings listeners = settings.listeners();
    Optional<HttpsConnector> https =
        tls.map(
            identity ->
                new HttpsConnector(
                    identity,
                    settings.host(),
                    listeners.plainHttp() ? OptionalInt.of(settings.port()) : OptionalInt.empty(),
                    listeners.httpsPort().getAsInt()));
    AgentHttpServer server =
        opened.add("the HTTP server", new AgentHttpServer(routes, signer, mapper, https, random));
    int port;
    try {
      port = server.start(settings.host(), settings.port());
    } catch (RuntimeException e) {
      if (!causedBy(e, BindException.class)) {
        throw e;
      }
      throw portInUse(settings);
    }
    return new HttpWiring(
        server,
        port,
        https.map(connector -> OptionalInt.of(connector.localPort())).orElse(OptionalInt.empty()));
  }

  /** Which listener lost its port: probed, as the server's failure does not say it in a field. */
  private static PortInUseException portInUse(AgentSettings settings) {
    ListenerSettings listeners = settings.listeners();
    String host = settings.host();
    try {
      listeners
          .httpsPort()
          .ifPresent(port -> PortInUseException.requireFree("--https-port", host, port));
      if (listeners.plainHttp()) {
        PortInUseException.requireFree("--port", host, settings.port());
      }
    } catch (PortInUseException busy) {
      return busy;
    }
    // Freed again meanwhile: name the port the agent listens on first.
    return listeners.plainHttp()
        ? new PortInUseException("--port", host, settings.port())
        : new PortInUseException("--https-port", host, listeners.httpsPort().getAsInt());
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
