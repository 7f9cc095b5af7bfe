package dev.teeagent.verifier;

import dev.teeagent.json.UntrustedText;
import dev.teeagent.verifier.VerificationReport.Step;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies any AWS Nitro attestation document, trusting only a {@link TrustedRoot}: the COSE_Sign1
 * structure and its ES384 signature by the leaf certificate, the chain leaf → cabundle → root with
 * every certificate valid at the chosen time, then (on that authenticated content) freshness, debug
 * mode, expected PCRs and the nonce. Pure library: no HTTP, no I/O.
 */
public final class AttestationVerifier {
  private static final HexFormat HEX = HexFormat.of();
  private static final java.util.regex.Pattern COMMON_NAME =
      java.util.regex.Pattern.compile("(?:^|,)CN=((?:[^,\\\\]|\\\\.)*)");
  private final TrustedRoot root;
  private final Clock clock;

  public AttestationVerifier(TrustedRoot root, Clock clock) {
    this.root = root;
    this.clock = clock;
  }

  public TrustedRoot root() {
    return root;
  }

  /** The verified document, or the first failed check as an exception. */
  public VerifiedAttestation verify(byte[] document, VerificationOptions options)
      throws AttestationVerificationException {
    return check(document, options).orElseThrow();
  }

  /**
   * Runs every check and reports each. Signature and chain failures stop the run (nothing after
   * them would be authenticated); the content checks all run so that each failure is reported.
   */
  public VerificationReport check(byte[] document, VerificationOptions options) {
    List<Step> steps = new ArrayList<>();
    AttestationDocument doc;
    X509Certificate leaf;
    try {
      CoseSign1 cose = CoseSign1.parse(document);
      doc = AttestationDocument.parse(cose.payload());
      leaf = certificate(doc.certificate(), "the leaf certificate");
      verifySignature(cose, leaf);
      steps.add(Step.passed(Check.SIGNATURE, "COSE_Sign1 ES384 signature by " + subject(leaf)));
    } catch (AttestationVerificationException e) {
      steps.add(Step.failed(e.check(), e.reason()));
      return new VerificationReport(steps, Optional.empty());
    }
    Instant at = options.at().orElse(doc.timestamp());
    try {
      verifyChain(doc, leaf, at);
      steps.add(
          Step.passed(
              Check.CHAIN,
              (doc.cabundle().size() + 1)
                  + " certificates lead to the "
                  + root.describe()
                  + ", all valid at "
                  + at
                  + (options.at().isEmpty() ? " (document time)" : "")));
    } catch (AttestationVerificationException e) {
      steps.add(Step.failed(e.check(), e.reason()));
      return new VerificationReport(steps, Optional.empty());
    }
    options.maxAge().ifPresent(window -> steps.add(freshness(doc, window)));
    steps.add(debugMode(doc, options.allowDebug()));
    steps.add(pcrs(doc, options.expectedPcrs()));
    options.nonce().ifPresent(nonce -> steps.add(nonce(doc, nonce)));
    return new VerificationReport(steps, Optional.of(new VerifiedAttestation(doc, leaf, at, root)));
  }

  private static void verifySignature(CoseSign1 cose, X509Certificate leaf)
      throws AttestationVerificationException {
    PublicKey key = leaf.getPublicKey();
    if (!(key instanceof ECPublicKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 384) {
      throw new AttestationVerificationException(
          Check.SIGNATURE, "the leaf certificate's key is not a P-384 key");
    }
    boolean valid;
    try {
      Signature verifier = Signature.getInstance("SHA384withECDSAinP1363Format");
      verifier.initVerify(key);
      verifier.update(cose.toBeSigned());
      valid = verifier.verify(cose.signature());
    } catch (GeneralSecurityException e) {
      valid = false;
    }
    if (!valid) {
      throw new AttestationVerificationException(
          Check.SIGNATURE, "the ES384 signature does not verify with the leaf certificate's key");
    }
  }

  private void verifyChain(AttestationDocument doc, X509Certificate leaf, Instant at)
      throws AttestationVerificationException {
    List<X509Certificate> bundle = new ArrayList<>();
    for (int i = 0; i < doc.cabundle().size(); i++) {
      bundle.add(certificate(doc.cabundle().get(i), "cabundle[" + i + "]"));
    }
    if (!sameCertificate(bundle.getFirst(), root.certificate())) {
      throw chain(
          "cabundle[0] ("
              + subject(bundle.getFirst())
              + ", sha256 "
              + sha256Hex(bundle.getFirst())
              + ") is not the trusted "
              + root.describe());
    }
    List<X509Certificate> topDown = new ArrayList<>(bundle);
    topDown.set(0, root.certificate());
    topDown.add(leaf);
    Date date = Date.from(at);
    for (X509Certificate certificate : topDown) {
      try {
        certificate.checkValidity(date);
      } catch (CertificateExpiredException | CertificateNotYetValidException e) {
        throw chain(
            subject(certificate)
                + " is not valid at "
                + at
                + " (valid "
                + certificate.getNotBefore().toInstant()
                + " .. "
                + certificate.getNotAfter().toInstant()
                + ")");
      }
    }
    List<X509Certificate> bottomUp = new ArrayList<>(topDown.subList(1, topDown.size()));
    java.util.Collections.reverse(bottomUp);
    try {
      PKIXParameters parameters =
          new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), null)));
      parameters.setRevocationEnabled(false);
      parameters.setDate(date);
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(bottomUp), parameters);
    } catch (CertPathValidatorException e) {
      String where =
          e.getIndex() >= 0 && e.getIndex() < bottomUp.size()
              ? subject(bottomUp.get(e.getIndex()))
              : "the chain";
      throw chain(where + ": " + reasonText(e));
    } catch (GeneralSecurityException e) {
      throw chain("the certificate chain cannot be checked");
    }
  }

  private Step freshness(AttestationDocument doc, Duration window) {
    Instant now = clock.instant();
    Duration age = Duration.between(doc.timestamp(), now);
    if (age.abs().compareTo(window) > 0) {
      return Step.failed(
          Check.FRESHNESS,
          "document time "
              + doc.timestamp()
              + " is "
              + age.toMillis() / 1000
              + " s from now ("
              + now
              + "), beyond the "
              + window.toSeconds()
              + " s window");
    }
    return Step.passed(
        Check.FRESHNESS,
        "document time " + doc.timestamp() + " is within " + window.toSeconds() + " s of now");
  }

  private static Step debugMode(AttestationDocument doc, boolean allowDebug) {
    if (!doc.debugMode()) {
      return Step.passed(Check.DEBUG_MODE, "not a debug-mode enclave (PCR0 is not all zeros)");
    }
    if (allowDebug) {
      return Step.passed(
          Check.DEBUG_MODE, "debug-mode enclave (PCR0 is all zeros), accepted as asked");
    }
    return Step.failed(
        Check.DEBUG_MODE,
        "debug-mode enclave (PCR0 is all zeros): the host can read its memory; refused unless"
            + " debug documents are explicitly allowed (--allow-debug)");
  }

  private static Step pcrs(AttestationDocument doc, ExpectedPcrs expected) {
    if (expected.isEmpty()) {
      return Step.skipped(Check.PCRS, "no expected PCRs given: the code is not identified");
    }
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<Integer, byte[]> entry : expected.values().entrySet()) {
      byte[] actual = doc.pcrs().get(entry.getKey());
      if (actual == null) {
        mismatches.add("PCR" + entry.getKey() + " is absent from the document");
      } else if (!MessageDigest.isEqual(actual, entry.getValue())) {
        mismatches.add(
            "PCR"
                + entry.getKey()
                + " is "
                + HEX.formatHex(actual)
                + ", expected "
                + HEX.formatHex(entry.getValue()));
      }
    }
    if (!mismatches.isEmpty()) {
      return Step.failed(Check.PCRS, String.join("; ", mismatches));
    }
    return Step.passed(
        Check.PCRS,
        String.join(", ", expected.values().keySet().stream().map(i -> "PCR" + i).toList())
            + " as expected");
  }

  private static Step nonce(AttestationDocument doc, byte[] expected) {
    Optional<byte[]> actual = doc.nonce();
    if (actual.isEmpty()) {
      return Step.failed(Check.NONCE, "the document carries no nonce");
    }
    if (!MessageDigest.isEqual(actual.get(), expected)) {
      return Step.failed(
          Check.NONCE,
          "the document's nonce "
              + HEX.formatHex(actual.get())
              + " is not the expected "
              + HEX.formatHex(expected));
    }
    return Step.passed(Check.NONCE, "the document echoes nonce " + HEX.formatHex(expected));
  }

  static X509Certificate certificate(byte[] der, String what)
      throws AttestationVerificationException {
    try {
      if (CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der))
          instanceof X509Certificate certificate) {
        return certificate;
      }
    } catch (CertificateException e) {
      // reported below
    }
    throw new AttestationVerificationException(
        Check.SIGNATURE, what + " is not a valid X.509 certificate");
  }

  private static boolean sameCertificate(X509Certificate a, X509Certificate b) {
    try {
      return MessageDigest.isEqual(a.getEncoded(), b.getEncoded());
    } catch (CertificateEncodingException e) {
      return false;
    }
  }

  private static String sha256Hex(X509Certificate certificate) {
    return TrustedRoot.of(certificate).fingerprint();
  }

  /** The subject's CN (or the whole name when it has none), safe to print. */
  static String subject(X509Certificate certificate) {
    String name = certificate.getSubjectX500Principal().getName();
    java.util.regex.Matcher cn = COMMON_NAME.matcher(name);
    return "CN=" + UntrustedText.quote(cn.find() ? cn.group(1) : name, 64);
  }

  private static String reasonText(CertPathValidatorException e) {
    String reason = String.valueOf(e.getReason()).toLowerCase(java.util.Locale.ROOT);
    return switch (reason) {
      case "invalid_signature" -> "its signature does not verify with its issuer's key";
      case "name_chaining" -> "its issuer is not the next certificate up the chain";
      case "not_ca_cert" -> "a certificate that is not a CA issued the next one";
      case "invalid_key_usage" -> "key usage does not allow signing certificates";
      case "path_too_long" -> "the chain is longer than a CA's path length allows";
      case "unrecognized_crit_ext" -> "it has an unrecognized critical extension";
      default -> "the chain does not verify (" + reason.replace('_', ' ') + ")";
    };
  }

  private static AttestationVerificationException chain(String reason) {
    return new AttestationVerificationException(Check.CHAIN, reason);
  }
}
