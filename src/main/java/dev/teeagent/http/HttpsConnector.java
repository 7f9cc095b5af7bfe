package dev.teeagent.http;

import dev.teeagent.tls.TlsIdentity;
import io.javalin.config.JettyConfig;
import java.util.OptionalInt;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The agent's listeners when HTTPS is on: TLS terminated inside the agent with its {@link
 * TlsIdentity} (TLS 1.3, and 1.2 with ECDHE-ECDSA AEAD suites only, no renegotiation), and the
 * plain port of the original API unless the operator switched it off. Javalin adds its own plain
 * connector only when none is registered, so both are registered here, plain first.
 */
public final class HttpsConnector {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  private static final String[] CIPHER_SUITES = {
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"
  };

  /** Protects nothing: the key store lives in this object's memory only. */
  private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

  private final TlsIdentity identity;
  private final String host;
  private final OptionalInt plainPort;
  private final int httpsPort;
  private volatile ServerConnector tls;

  /**
   * @param plainPort the plain HTTP port, empty when the operator switched it off
   * @param httpsPort 0 picks a free port
   */
  public HttpsConnector(TlsIdentity identity, String host, OptionalInt plainPort, int httpsPort) {
    this.identity = identity;
    this.host = host;
    this.plainPort = plainPort;
    this.httpsPort = httpsPort;
  }

  void register(JettyConfig jetty) {
    plainPort.ifPresent(port -> jetty.addConnector((server, http) -> plain(server, http, port)));
    jetty.addConnector(this::tls);
  }

  /** The bound HTTPS port, once started. */
  public int localPort() {
    return tls.getLocalPort();
  }

  private ServerConnector plain(Server server, HttpConfiguration http, int port) {
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  private ServerConnector tls(Server server, HttpConfiguration http) {
    SslContextFactory.Server context = new SslContextFactory.Server();
    context.setKeyStore(identity.keyStore(IN_MEMORY_PASSWORD));
    context.setKeyStorePassword(new String(IN_MEMORY_PASSWORD));
    context.setIncludeProtocols(PROTOCOLS);
    context.setIncludeCipherSuites(CIPHER_SUITES);
    context.setRenegotiationAllowed(false);
    context.setSniRequired(false);
    HttpConfiguration https = new HttpConfiguration(http);
    // The certificate names no host: clients pin its key, so the SNI host check has no meaning.
    https.addCustomizer(new SecureRequestCustomizer(false));
    ServerConnector connector =
        new ServerConnector(
            server,
            new SslConnectionFactory(context, "http/1.1"),
            new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(httpsPort);
    this.tls = connector;
    return connector;
  }
}
