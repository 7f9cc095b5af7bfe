package dev.teeagent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.tls.SpkiPin;
import dev.teeagent.verifier.AgentVerifier;
import dev.teeagent.verifier.AttestationDocument;
import dev.teeagent.verifier.AttestationVerifier;
import dev.teeagent.verifier.ExpectedPcrs;
import dev.teeagent.verifier.TrustedRoot;
import dev.teeagent.verifier.VerificationOptions;
import dev.teeagent.verifier.VerificationReport;
import dev.teeagent.verifier.VerifiedAttestation;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code verify}: checks an agent ({@code --url}) or a saved document ({@code --document}) against
 * the AWS Nitro root (or {@code --root}). One line per step on stderr, the verified fields as JSON
 * on stdout; exit 0 only when every check passed, 1 when one failed, 2 on a usage error.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Verify a running agent (--url) or a saved attestation document (--document), trusting only"
          + " the AWS Nitro root (or --root)."
    },
    footer = {
      "",
      "Expected PCRs: --pcrs FILE (the JSON `make eif` writes to build/pcrs.json, the",
      "\"Measurements\" of nitro-cli build-enclave) and/or --pcrN HEX for any N in 0..31,",
      "e.g. --pcr0 <96 hex digits> --pcr8 <96 hex digits>. Without any, the code is not pinned",
      "and the verdict is NOT VERIFIED unless --allow-any-code is given.",
      "Custody: an agent with a sealed identity attests its KMS key and whether that key's policy",
      "is locked to its image; verify reports it, and --require-locked fails when it is absent or",
      "not locked.",
      "Exit status: 0 verified, 1 a check failed or the code is not pinned, 2 usage error."
    })
final class VerifyCommand implements Callable<Integer> {
  private static final Pattern PCR_OPTION = Pattern.compile("--pcr(\\d{1,2})(?:=(.*))?");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "Agent base URL, e.g. http://HOST:7047")
  URI url;

  @Option(names = "--document", paramLabel = "FILE", description = "A saved document (raw CBOR).")
  Path document;

  @Option(names = "--pcrs", paramLabel = "FILE", description = "Expected PCRs (pcrs.json).")
  Path pcrsFile;

  @Option(
      names = "--root",
      paramLabel = "PEM",
      description = "Trust this root instead of AWS's (e.g. from serve --simulated-root-out).")
  Path root;

  @Option(
      names = "--at",
      paramLabel = "ISO_TIME",
      description = "--document: check the chain at this time (default: now).")
  String at;

  @Option(
      names = "--at-document-time",
      description = "--document: check the chain at the document's own timestamp.")
  boolean atDocumentTime;

  @Option(names = "--nonce", paramLabel = "HEX", description = "--document: the expected nonce.")
  String nonce;

  @Option(
      names = "--max-age",
      paramLabel = "DURATION",
      defaultValue = "300",
      converter = DurationConverter.BareSeconds.class,
      description =
          "--url: how far the document's time may be from now, e.g. 90s or 2h; a bare number is"
              + " seconds (default: 300).")
  Duration maxAge;

  @Option(
      names = "--allow-debug",
      description = "Accept a debug-mode enclave (all-zero PCRs). For testing only.")
  boolean allowDebug;

  @Option(
      names = "--allow-any-code",
      description =
          "Accept the document without expected PCRs: it then proves a genuine enclave, not which"
              + " code it runs.")
  boolean allowAnyCode;

  @Option(
      names = "--require-locked",
      description =
          "--url: fail unless the agent attests custody of its sealed identity under a KMS key"
              + " whose policy is locked to its image (docs/custody.md).")
  boolean requireLocked;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "--url: longest wait for each answer, body included (default: 30s).")
  Duration timeout;

  @CommandLine.Unmatched List<String> unmatched = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if ((url == null) == (document == null)) {
      throw usage("give exactly one of --url and --document");
    }
    if (document != null && requireLocked) {
      throw usage(
          "--require-locked applies to --url only: custody is in the agent's user_data preimage,"
              + " which a saved document does not carry");
    }
    if (url != null && (at != null || atDocumentTime || nonce != null)) {
      throw usage("--at, --at-document-time and --nonce apply to --document only");
    }
    if (at != null && atDocumentTime) {
      throw usage("give at most one of --at and --at-document-time");
    }
    if (maxAge.compareTo(Duration.ofSeconds(1)) < 0) {
      throw usage("--max-age must be at least 1 second");
    }
    ObjectMapper mapper = JsonMappers.strict();
    ExpectedPcrs pcrs = expectedPcrs(mapper);
    TrustedRoot trusted = trustedRoot();
    byte[] documentBytes = document == null ? null : read(document);
    AgentClient client = null;
    if (url != null) {
      try {
        client = new AgentClient(url.toString(), mapper, timeout);
      } catch (CliFailure e) {
        throw usage(e.getMessage());
      }
      try {
        client.requireReachable();
      } catch (CliFailure e) {
        err.println("tee-agent verify: " + e.getMessage());
        err.flush();
        return 1;
      }
    }
    AttestationVerifier verifier = new AttestationVerifier(trusted, Clock.systemUTC());
    err.println("trusting " + trusted.describe());
    VerificationReport report;
    Map<String, Object> fields = new LinkedHashMap<>();
    if (url != null) {
      AgentVerifier.AgentReport agentReport = verifyOnline(verifier, pcrs, mapper, client);
      report = agentReport.report();
      agentReport
          .agent()
          .ifPresent(
              agent -> {
                fields.put("url", url.toString());
                fields.put("agent", agent.address().checksummed());
                fields.put("user_data_preimage", agent.preimage());
                if (agent.preimage().custody() != null) {
                  fields.put("custody", agent.preimage().custody());
                }
                String pin = agent.preimage().tlsSpkiSha256();
                if (SpkiPin.isPin(pin)) {
                  fields.put("tls_spki_sha256", pin);
                  fields.put("curl_pinnedpubkey", SpkiPin.curlPin(pin));
                }
              });
    } else {
      report = verifier.check(documentBytes, offlineOptions(pcrs));
    }
    report.steps().forEach(step -> err.println(step.line()));
    report.attestation().ifPresent(verified -> fields.putAll(describe(verified)));
    if (report.attestation().isPresent()) {
      out.println(toJson(mapper, fields));
    }
    out.flush();
    if (!report.passed()) {
      err.println("NOT VERIFIED: " + report.failures().size() + " check(s) failed");
      if (client != null) {
        AgentAttester.chainCure(report, client, root)
            .ifPresent(cure -> err.println("hint: " + cure));
      }
      return 1;
    }
    if (pcrs.isEmpty()) {
      if (!allowAnyCode) {
        err.println(
            "NOT VERIFIED: the code is not pinned (no expected PCRs given): give --pcrs FILE or"
                + " --pcrN HEX, or --allow-any-code to accept whatever code the enclave runs");
        return 1;
      }
      printCurlPin(err, fields);
      err.println("VERIFIED (any code: no PCRs pinned, as --allow-any-code asked)");
      return 0;
    }
    // The verdict stays the last line: scripts read it.
    printCurlPin(err, fields);
    err.println("VERIFIED");
    return 0;
  }

  /** For scripts: curl then checks each of its own connections against the attested key. */
  private void printCurlPin(PrintWriter err, Map<String, Object> fields) {
    Object pin = fields.get("curl_pinnedpubkey");
    if (pin != null) {
      String https =
          "https".equals(url.getScheme())
              ? url.toString().replaceAll("/+$", "") + "/api/v1/config"
              : "https://HOST:HTTPS_PORT/api/v1/config";
      err.println("pin HTTPS with: curl --pinnedpubkey '" + pin + "' --insecure " + https);
    }
  }

  private AgentVerifier.AgentReport verifyOnline(
      AttestationVerifier verifier, ExpectedPcrs pcrs, ObjectMapper mapper, AgentClient client) {
    return new AgentVerifier(verifier, client.httpClient(), mapper, new SecureRandom())
        .verify(url, new AgentVerifier.Options(pcrs, maxAge, allowDebug, requireLocked));
  }

  private VerificationOptions offlineOptions(ExpectedPcrs pcrs) {
    VerificationOptions options;
    if (atDocumentTime) {
      options = VerificationOptions.atDocumentTime();
    } else if (at != null) {
      try {
        options = VerificationOptions.at(Instant.parse(at));
      } catch (DateTimeParseException e) {
        throw usage("--at must be an ISO-8601 UTC time such as 2025-02-21T03:44:37Z");
      }
    } else {
      options = VerificationOptions.at(Instant.now());
    }
    options = options.withPcrs(pcrs).allowingDebug(allowDebug);
    if (nonce != null) {
      options = options.withNonce(hex("--nonce", nonce));
    }
    return options;
  }

  private ExpectedPcrs expectedPcrs(ObjectMapper mapper) {
    ExpectedPcrs pcrs = ExpectedPcrs.none();
    try {
      if (pcrsFile != null) {
        pcrs = ExpectedPcrs.parseJson(read(pcrsFile), mapper);
      }
      for (int i = 0; i < unmatched.size(); i++) {
        Matcher option = PCR_OPTION.matcher(unmatched.get(i));
        if (!option.matches()) {
          throw usage("unknown option or argument: " + unmatched.get(i));
        }
        String value = option.group(2);
        if (value == null) {
          if (i + 1 >= unmatched.size()) {
            throw usage(unmatched.get(i) + " needs a value (96 hex digits)");
          }
          value = unmatched.get(++i);
        }
        pcrs = pcrs.with(Integer.parseInt(option.group(1)), value);
      }
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    return pcrs;
  }

  private TrustedRoot trustedRoot() {
    if (root == null) {
      return TrustedRoot.aws();
    }
    try {
      return TrustedRoot.fromPem(read(root));
    } catch (IllegalArgumentException e) {
      throw usage("--root " + root + ": " + e.getMessage());
    }
  }

  private static Map<String, Object> describe(VerifiedAttestation verified) {
    HexFormat hex = HexFormat.of();
    AttestationDocument doc = verified.document();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("module_id", doc.moduleId());
    fields.put("timestamp", doc.timestampMillis());
    fields.put("time", doc.timestamp().toString());
    fields.put("digest", doc.digest());
    Map<String, String> pcrs = new LinkedHashMap<>();
    doc.pcrs().forEach((index, value) -> pcrs.put("PCR" + index, hex.formatHex(value)));
    fields.put("pcrs", pcrs);
    fields.put("debug_mode", doc.debugMode());
    fields.put("public_key", doc.publicKey().map(hex::formatHex).orElse(null));
    fields.put("user_data", doc.userData().map(hex::formatHex).orElse(null));
    fields.put("nonce", doc.nonce().map(hex::formatHex).orElse(null));
    fields.put("certificate", verified.signer().getSubjectX500Principal().getName());
    fields.put("chain_valid_at", verified.chainValidAt().toString());
    fields.put("root_sha256", verified.root().fingerprint());
    return fields;
  }

  private static String toJson(ObjectMapper mapper, Map<String, Object> fields) {
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("fields are not serializable", e);
    }
  }

  private byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      String option = file == document ? "--document" : file == root ? "--root" : "--pcrs";
      throw usage(UserFiles.cannotRead(option, file, e));
    }
  }

  private byte[] hex(String option, String value) {
    String digits = value.strip().startsWith("0x") ? value.strip().substring(2) : value.strip();
    try {
      byte[] bytes = HexFormat.of().parseHex(digits);
      if (bytes.length == 0) {
        throw usage(option + " must not be empty");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw usage(option + " must be hex");
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
