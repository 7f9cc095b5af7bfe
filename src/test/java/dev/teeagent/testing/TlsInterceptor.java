package dev.teeagent.testing;

import dev.teeagent.tls.PinningTrustManager;
import dev.teeagent.tls.TlsIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A man in the middle on loopback: terminates TLS with its own self-signed key, opens its own TLS
 * connection to the agent and relays the bytes both ways, so every answer is the agent's genuine
 * signed answer (attestation included) but the TLS key clients see is not the attested one.
 */
public final class TlsInterceptor implements AutoCloseable {
  private final SSLServerSocket server;
  private final int agentPort;
  private final SSLContext upstream;
  private final String spkiSha256;

  public TlsInterceptor(int agentPort) throws IOException, GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    TlsIdentity own = TlsIdentity.generate("interceptor", random, Clock.systemUTC());
    this.spkiSha256 = own.spkiSha256();
    char[] password = "test".toCharArray();
    KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
    keys.init(own.keyStore(password), password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, random);
    this.server =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.agentPort = agentPort;
    // An unpinned PinningTrustManager trusts any key: the interceptor accepts the agent's.
    this.upstream = new PinningTrustManager().sslContext(random);
    Thread.ofVirtual().name("interceptor-accept").start(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The pin of the interceptor's own key. */
  public String spkiSha256() {
    return spkiSha256;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket agent =
            upstream.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), agentPort);
        Thread.ofVirtual().start(() -> relay(client, agent));
        Thread.ofVirtual().start(() -> relay(agent, client));
      } catch (IOException e) {
        // Closed, or one client failed its handshake: either way, keep serving until closed.
      }
    }
  }

  private static void relay(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // A side hung up, or the client refused our certificate: the relay ends.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
