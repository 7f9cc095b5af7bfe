package dev.teeagent.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.nsm.SimulatedChain;
import dev.teeagent.testing.NodeScript;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;

/**
 * The JS verifier (verifier-js/) and the Java verifier give the same verdict, check by check, on
 * the same documents: the real AWS ones at their own time and later, with right, wrong and no PCRs,
 * right and wrong nonces, the debug one; simulated ones with 1024-byte user_data and nonce and an
 * empty public_key (verified) or a 1025-byte field (the fields check); simulated ones with forged
 * chains (an issuer that is not a CA, a signature by another key, a broken name chain, a path too
 * long, an expired leaf); and hundreds of seeded mutations of them. The only intended difference:
 * without expected PCRs Java's report skips the pcrs step, the JS one fails it ("the code is not
 * pinned").
 */
class JsVerifierParityIT {
  private static final ObjectMapper MAPPER = JsonMappers.strict();
  private static final HexFormat HEX = HexFormat.of();
  private static final long SEED = 0x15_0a5eL;
  private static final Instant NOW = Instant.parse("2026-02-01T00:00:00Z");

  private final SecureRandom random = new SecureRandom();
  private final TestDocuments documents = new TestDocuments(NOW);

  record Case(
      String name,
      byte[] document,
      TrustedRoot root,
      Instant at,
      Map<Integer, String> pcrs,
      String nonce,
      boolean allowDebug) {}

  @Test
  void javaAndJsReportTheSameChecksWithTheSameOutcomes() throws Exception {
    List<Case> cases = new ArrayList<>();
    awsCases(cases);
    forgedChainCases(cases);
    mutatedCases(cases);
    JsonNode results = runJs(cases);
    assertThat(results).hasSize(cases.size());
    int verified = 0;
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      VerificationReport java = javaReport(c);
      JsonNode js = results.get(i);
      assertThat(outcomes(js)).as(c.name() + "\njs: " + js).isEqualTo(outcomes(java, c));
      boolean jsVerified = js.get("verdict").asText().equals("VERIFIED");
      assertThat(jsVerified).as(c.name()).isEqualTo(java.passed() && !c.pcrs().isEmpty());
      if (c.name().startsWith("1024-byte")) {
        assertThat(jsVerified).as(c.name() + " verifies in both").isTrue();
      }
      verified += jsVerified ? 1 : 0;
    }
    assertThat(verified).as("cases that pass in both").isGreaterThanOrEqualTo(3);
  }

  private static void awsCases(List<Case> cases) {
    byte[] prod = AwsFixtures.bytes(AwsFixtures.PROD);
    byte[] debug = AwsFixtures.bytes(AwsFixtures.DEBUG);
    Map<Integer, String> pcrs =
        Map.of(0, AwsFixtures.PROD_PCR0, 1, AwsFixtures.PROD_PCR1, 2, AwsFixtures.PROD_PCR2);
    TrustedRoot aws = TrustedRoot.aws();
    String nonce = AwsFixtures.PROD_NONCE;
    cases.add(new Case("prod at its time", prod, aws, null, pcrs, nonce, false));
    cases.add(new Case("prod without PCRs", prod, aws, null, Map.of(), nonce, false));
    cases.add(
        new Case("prod wrong PCR1", prod, aws, null, Map.of(1, "11".repeat(48)), nonce, false));
    cases.add(
        new Case("prod absent PCR20", prod, aws, null, Map.of(20, "00".repeat(48)), null, false));
    cases.add(
        new Case("prod wrong nonce", prod, aws, null, pcrs, "00" + nonce.substring(2), false));
    cases.add(
        new Case(
            "prod a day later",
            prod,
            aws,
            AwsFixtures.PROD_TIME.plus(Duration.ofDays(1)),
            pcrs,
            nonce,
            false));
    cases.add(new Case("prod now", prod, aws, Instant.now(), pcrs, nonce, false));
    cases.add(new Case("debug refused", debug, aws, null, Map.of(), null, false));
    cases.add(new Case("debug allowed", debug, aws, null, Map.of(0, "00".repeat(48)), null, true));
    cases.add(new Case("debug, nonce expected", debug, aws, null, Map.of(), "01", true));
  }

  private void forgedChainCases(List<Case> cases) throws java.io.IOException {
    TrustedRoot root = documents.root();
    Map<Integer, String> pcrs = Map.of(0, "01" + "00".repeat(47));
    byte[] good = documents.sign(documents.payload(false, new byte[] {1, 2, 3}));
    cases.add(new Case("simulated, indefinite lengths", good, root, null, pcrs, "010203", false));
    cases.add(new Case("simulated, AWS root", good, TrustedRoot.aws(), null, pcrs, null, false));
    byte[] full = new byte[1024];
    java.util.Arrays.fill(full, (byte) 7);
    String fullHex = HEX.formatHex(full);
    cases.add(
        new Case(
            "1024-byte user_data and nonce, empty public_key",
            documents.sign(documents.payloadWith(new byte[0], full, full)),
            root,
            null,
            pcrs,
            fullHex,
            false));
    byte[] over = new byte[1025];
    for (String field : new String[] {"public_key", "user_data", "nonce"}) {
      byte[] payload = documents.payloadWithOnly(field, over);
      cases.add(
          new Case("1025-byte " + field, documents.sign(payload), root, null, pcrs, null, false));
    }
    cases.add(
        new Case(
            "simulated, leaf expired",
            good,
            root,
            NOW.plus(Duration.ofHours(4)),
            pcrs,
            null,
            false));
    cases.add(
        new Case(
            "simulated, before the leaf",
            good,
            root,
            NOW.minus(Duration.ofHours(1)),
            pcrs,
            null,
            false));

    // A chain of our own, with every key at hand, to forge what the NSM never signs.
    X500Name rootName = new X500Name("CN=parity-root");
    KeyPair rootKey = SimulatedChain.keyPair(random);
    X509Certificate rootCert =
        SimulatedChain.issue(
            rootName, rootKey, rootName, rootKey, NOW, Duration.ofDays(99), 2, random);
    X500Name midName = new X500Name("CN=parity-intermediate");
    KeyPair midKey = SimulatedChain.keyPair(random);
    X509Certificate mid =
        SimulatedChain.issue(
            midName, midKey, rootName, rootKey, NOW, Duration.ofDays(9), 0, random);
    X500Name leafName = new X500Name("CN=i-0123456789abcdef0-enc0123456789abcdef");
    KeyPair leafKey = SimulatedChain.keyPair(random);
    X509Certificate leaf = leaf(leafName, leafKey, midName, midKey);
    TrustedRoot ours = TrustedRoot.of(rootCert);
    cases.add(forged("forged chain, all well formed", ours, List.of(rootCert, mid), leaf, leafKey));
    cases.add(forged("another root", root, List.of(rootCert, mid), leaf, leafKey));

    // An end-entity certificate (not a CA) issues the leaf.
    X500Name notCaName = new X500Name("CN=not-a-ca");
    KeyPair notCaKey = SimulatedChain.keyPair(random);
    X509Certificate notCa =
        SimulatedChain.issue(
            notCaName, notCaKey, rootName, rootKey, NOW, Duration.ofDays(9), -1, random);
    cases.add(
        forged(
            "issuer is not a CA",
            ours,
            List.of(rootCert, notCa),
            leaf(leafName, leafKey, notCaName, notCaKey),
            leafKey));

    // A leaf naming the intermediate as issuer but signed by another key.
    X509Certificate wrongKey = leaf(leafName, leafKey, midName, SimulatedChain.keyPair(random));
    cases.add(
        forged("leaf signed by another key", ours, List.of(rootCert, mid), wrongKey, leafKey));

    // A leaf signed by the intermediate's key but naming another issuer.
    X509Certificate wrongName = leaf(leafName, leafKey, new X500Name("CN=someone-else"), midKey);
    cases.add(
        forged("leaf names another issuer", ours, List.of(rootCert, mid), wrongName, leafKey));

    // Another intermediate below one whose path length is 0.
    X500Name lowName = new X500Name("CN=below-path-length-0");
    KeyPair lowKey = SimulatedChain.keyPair(random);
    X509Certificate low =
        SimulatedChain.issue(lowName, lowKey, midName, midKey, NOW, Duration.ofDays(9), 0, random);
    X509Certificate underLow = leaf(leafName, leafKey, lowName, lowKey);
    cases.add(forged("path too long", ours, List.of(rootCert, mid, low), underLow, leafKey));

    cases.add(forged("cabundle reversed", ours, List.of(mid, rootCert), leaf, leafKey));
    cases.add(forged("intermediate missing", ours, List.of(rootCert), leaf, leafKey));
    cases.add(
        forged(
            "document signed by another key",
            ours,
            List.of(rootCert, mid),
            leaf,
            SimulatedChain.keyPair(random)));
    byte[] garbage =
        signed(
            documents.payload(
                true,
                null,
                List.of(TestDocuments.der(rootCert), new byte[] {0x30, 0x03, 1, 2, 3}),
                TestDocuments.der(leaf)),
            leafKey);
    cases.add(new Case("cabundle entry not a certificate", garbage, ours, null, pcrs, null, false));
  }

  private X509Certificate leaf(X500Name name, KeyPair key, X500Name issuer, KeyPair issuerKey) {
    return SimulatedChain.issue(name, key, issuer, issuerKey, NOW, Duration.ofHours(3), -1, random);
  }

  private Case forged(
      String name,
      TrustedRoot root,
      List<X509Certificate> cabundle,
      X509Certificate leaf,
      KeyPair key) {
    byte[] document = signed(documents.payload(true, null, cabundle, leaf), key);
    return new Case(name, document, root, null, Map.of(0, "01" + "00".repeat(47)), null, false);
  }

  private byte[] signed(byte[] payload, KeyPair key) {
    byte[] header = CoseSign1.es384ProtectedHeader();
    byte[] toBeSigned = new CoseSign1(header, payload, new byte[0]).toBeSigned();
    return new CoseSign1(header, payload, SimulatedChain.sign(key.getPrivate(), toBeSigned, random))
        .encode();
  }

  private void mutatedCases(List<Case> cases) {
    Random seeded = new Random(SEED);
    List<Case> seeds = List.copyOf(cases.subList(0, 1));
    Case simulated =
        cases.stream()
            .filter(c -> c.name().startsWith("simulated, indefinite"))
            .findFirst()
            .orElseThrow();
    for (Case base : List.of(seeds.getFirst(), simulated)) {
      for (int round = 0; round < 120; round++) {
        byte[] mutated = base.document().clone();
        int flips = 1 + seeded.nextInt(3);
        for (int f = 0; f < flips; f++) {
          mutated[seeded.nextInt(mutated.length)] ^= (byte) (1 << seeded.nextInt(8));
        }
        if (seeded.nextInt(10) == 0) {
          mutated = java.util.Arrays.copyOf(mutated, seeded.nextInt(mutated.length));
        }
        cases.add(
            new Case(
                base.name() + " mutation " + round + " (seed " + SEED + ")",
                mutated,
                base.root(),
                base.at(),
                base.pcrs(),
                base.nonce(),
                base.allowDebug()));
      }
    }
  }

  private static VerificationReport javaReport(Case c) {
    ExpectedPcrs pcrs = ExpectedPcrs.none();
    for (Map.Entry<Integer, String> pcr : c.pcrs().entrySet()) {
      pcrs = pcrs.with(pcr.getKey(), pcr.getValue());
    }
    VerificationOptions options =
        (c.at() == null ? VerificationOptions.atDocumentTime() : VerificationOptions.at(c.at()))
            .withPcrs(pcrs)
            .allowingDebug(c.allowDebug());
    if (c.nonce() != null) {
      options = options.withNonce(HEX.parseHex(c.nonce()));
    }
    return new AttestationVerifier(c.root(), Clock.fixed(NOW, ZoneOffset.UTC))
        .check(c.document(), options);
  }

  /**
   * "passed chain" per step; Java's skipped pcrs (no PCRs given) is the JS verifier's failed one.
   */
  private static List<String> outcomes(VerificationReport report, Case c) {
    return report.steps().stream()
        .map(
            step ->
                (step.outcome() == VerificationReport.Outcome.SKIPPED && c.pcrs().isEmpty()
                        ? "failed"
                        : step.outcome().name().toLowerCase(java.util.Locale.ROOT))
                    + " "
                    + step.check().label())
        .toList();
  }

  private static List<String> outcomes(JsonNode js) {
    List<String> out = new ArrayList<>();
    js.get("steps")
        .forEach(step -> out.add(step.get("outcome").asText() + " " + step.get("check").asText()));
    return out;
  }

  private static JsonNode runJs(List<Case> cases) throws Exception {
    ArrayNode input = MAPPER.createArrayNode();
    for (Case c : cases) {
      ObjectNode item = input.addObject();
      item.put("document", Base64.getEncoder().encodeToString(c.document()));
      item.put("root_pem", c.root().isAws() ? null : TrustedRoot.toPem(c.root().certificate()));
      if (c.at() != null) {
        item.put("at", c.at().toEpochMilli());
      }
      ObjectNode pcrs = item.putObject("pcrs");
      c.pcrs().forEach((index, hex) -> pcrs.put("PCR" + index, hex));
      item.put("nonce", c.nonce());
      item.put("allow_debug", c.allowDebug());
    }
    String output =
        NodeScript.run(
            Map.of(), "verifier-js/cli/check-documents.mjs", MAPPER.writeValueAsString(input));
    return MAPPER.readTree(output);
  }
}
