package dev.teeagent.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts an agent's self-signed TLS certificate by its attested key hash, never by a CA or a host
 * name. Before the agent is attested it lets any key through, and the caller must compare the key
 * of the very connection that carried the attestation ({@link #peerPin}) with the attested {@code
 * tls_spki_sha256}; once {@link #pinTo pinned}, a handshake with any other key fails with {@link
 * PinMismatch} before a byte of a request is sent.
 */
public final class PinningTrustManager extends X509ExtendedTrustManager {
  private volatile String pin;

  /** A server whose TLS key is not the attested one. */
  public static final class PinMismatch extends CertificateException {
    private static final long serialVersionUID = 1L;

    PinMismatch(String message) {
      super(message);
    }
  }

  /** From now on, only a server whose key hashes to {@code sha256Hex} completes a handshake. */
  public void pinTo(String sha256Hex) {
    if (!SpkiPin.isPin(sha256Hex)) {
      throw new IllegalArgumentException("not a 0x-hex SHA-256 pin");
    }
    this.pin = sha256Hex;
  }

  public Optional<String> pin() {
    return Optional.ofNullable(pin);
  }

  /** A TLS 1.3/1.2 client context trusting only through this manager. */
  public SSLContext sslContext(SecureRandom random) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {this}, random);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JDK", e);
    }
  }

  /** The pin of the key the peer of {@code session} presented; empty without TLS. */
  public static Optional<String> peerPin(Optional<SSLSession> session) {
    if (session.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(SpkiPin.sha256Hex(session.get().getPeerCertificates()[0]));
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  /** The sentence of a mismatch, naming both keys. */
  public static String mismatch(String presented, String attested) {
    return "the TLS key of the server (sha256 "
        + presented
        + ") is not the attested tls_spki_sha256 "
        + attested
        + ": something between you and the enclave terminates TLS (a man in the middle?)";
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server sent no certificate");
    }
    String expected = pin;
    String presented = SpkiPin.sha256Hex(chain[0]);
    if (expected != null && !SpkiPin.same(presented, expected)) {
      throw new PinMismatch(mismatch(presented, expected));
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a client-side trust manager");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("a client-side trust manager");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("a client-side trust manager");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
