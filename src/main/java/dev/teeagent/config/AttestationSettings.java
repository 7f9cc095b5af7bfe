package dev.teeagent.config;

import dev.teeagent.nsm.AttestationMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How the agent attests, validated at start: the mode ({@code auto} = nitro when the NSM device
 * exists, else simulated), the global rate of NSM attestations for clients, the clock-skew bound,
 * and where to write the simulated root certificate for local verifiers.
 */
public record AttestationSettings(
    AttestationMode mode, int perSecond, Duration maxClockSkew, Optional<Path> simulatedRootOut) {
  public static final int DEFAULT_PER_SECOND = 10;
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofSeconds(60);

  public AttestationSettings {
    if (perSecond < 1 || perSecond > 1000) {
      throw new ConfigException("--attestation-rate: must be between 1 and 1000 per second");
    }
    if (maxClockSkew.isNegative() || maxClockSkew.isZero()) {
      throw new ConfigException("--max-clock-skew: must be at least 1 second");
    }
    if (simulatedRootOut.isPresent() && mode != AttestationMode.SIMULATED) {
      throw new ConfigException("--simulated-root-out: only in simulated attestation mode");
    }
  }

  /** The {@code serve} flags as given; null where a flag was not given. */
  public record Flags(String mode, Integer perSecond, String maxClockSkew, Path simulatedRootOut) {}

  /** Simulated attestation with the default limits (tests, local runs). */
  public static AttestationSettings simulated() {
    return new AttestationSettings(
        AttestationMode.SIMULATED, DEFAULT_PER_SECOND, DEFAULT_MAX_CLOCK_SKEW, Optional.empty());
  }

  /** Resolves the flags; {@code nsmDevice} is /dev/nsm outside of tests. */
  public static AttestationSettings load(Flags flags, Path nsmDevice) {
    String requested =
        flags.mode() == null ? "auto" : flags.mode().strip().toLowerCase(Locale.ROOT);
    AttestationMode mode =
        switch (requested) {
          case "auto" ->
              Files.exists(nsmDevice) ? AttestationMode.NITRO : AttestationMode.SIMULATED;
          case "nitro" -> {
            if (!Files.exists(nsmDevice)) {
              throw new ConfigException(
                  "--attestation nitro: "
                      + nsmDevice
                      + " does not exist (not inside a Nitro Enclave); use --attestation"
                      + " simulated or auto outside one");
            }
            yield AttestationMode.NITRO;
          }
          case "simulated" -> AttestationMode.SIMULATED;
          default -> throw new ConfigException("--attestation: must be auto, nitro or simulated");
        };
    return new AttestationSettings(
        mode,
        flags.perSecond() == null ? DEFAULT_PER_SECOND : flags.perSecond(),
        maxClockSkew(flags.maxClockSkew()),
        Optional.ofNullable(flags.simulatedRootOut()));
  }

  /** A bare number is seconds, as the flag always took; otherwise any {@link DurationText}. */
  private static Duration maxClockSkew(String text) {
    if (text == null) {
      return DEFAULT_MAX_CLOCK_SKEW;
    }
    return DurationText.parseBareSeconds(text)
        .orElseThrow(
            () ->
                new ConfigException(
                    "--max-clock-skew: must be seconds or a duration such as "
                        + DurationText.EXAMPLES));
  }
}
