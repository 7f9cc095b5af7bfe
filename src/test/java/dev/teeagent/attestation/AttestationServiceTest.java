package dev.teeagent.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teeagent.crypto.Address;
import dev.teeagent.crypto.SigningKey;
import dev.teeagent.error.AgentException;
import dev.teeagent.error.ErrorCode;
import dev.teeagent.json.JsonMappers;
import dev.teeagent.nsm.NitroNsm;
import dev.teeagent.nsm.Nsm;
import dev.teeagent.nsm.NsmException;
import dev.teeagent.nsm.SimulatedNsm;
import dev.teeagent.testing.MutableClock;
import dev.teeagent.verifier.AttestationDocument;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AttestationServiceTest {
  private static final Address OPERATOR =
      Address.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  private final SecureRandom random = new SecureRandom();
  private final SigningKey agentKey = SigningKey.generate(random);
  private final ObjectMapper mapper = JsonMappers.strict();
  private final AtomicReference<String> stateHash = new AtomicReference<>("0x" + "ab".repeat(32));

  private AttestationService service(Nsm nsm, Clock agentClock, int perSecond) {
    return new AttestationService(
        nsm,
        "unit",
        OPERATOR,
        agentKey,
        stateHash::get,
        mapper,
        new AttestationService.Limits(perSecond, Duration.ofSeconds(30)),
        agentClock,
        java.util.Optional.empty(),
        java.util.Optional.empty());
  }

  @Test
  void theAgentsOwnFieldsStayWithin512BytesAndALongerNonceIsNeverSent() throws Exception {
    AttestationService service =
        service(SimulatedNsm.start(Clock.systemUTC(), random), Clock.systemUTC(), 10);
    AttestationDocument fields = service.attest(new byte[512]).fields();
    assertThat(fields.nonce()).hasValueSatisfying(n -> assertThat(n).hasSize(512));
    assertThat(fields.userData().orElseThrow().length)
        .isLessThanOrEqualTo(AttestationService.MAX_OWN_FIELD_BYTES);
    assertThat(fields.publicKey().orElseThrow().length)
        .isLessThanOrEqualTo(AttestationService.MAX_OWN_FIELD_BYTES);
    assertThatThrownBy(() -> service.attest(new byte[513]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theClockCheckRefusesWhileSkewedAndRecoversOnTheNextRefresh() throws Exception {
    Instant start = Instant.parse("2026-04-01T00:00:00Z");
    MutableClock nsmClock = new MutableClock(start);
    MutableClock agentClock = new MutableClock(start.plusSeconds(45));
    AttestationService service = service(SimulatedNsm.start(nsmClock, random), agentClock, 10);
    service.refresh();
    assertThatThrownBy(service::requireClockInSync)
        .isInstanceOfSatisfying(
            AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CLOCK_SKEW));
    agentClock.set(start.minusSeconds(20));
    service.refresh();
    service.requireClockInSync();
    agentClock.set(start.minusSeconds(31));
    service.refresh();
    assertThatThrownBy(service::requireClockInSync).isInstanceOf(AgentException.class);
  }

  @Test
  void userDataCommitsToTheStateHashAtTheTimeOfTheDocument() throws Exception {
    Clock clock = Clock.systemUTC();
    AttestationService service = service(SimulatedNsm.start(clock, random), clock, 10);
    AttestationService.Attestation first = service.attest(new byte[] {1});
    stateHash.set("0x" + "cd".repeat(32));
    AttestationService.Attestation second = service.attest(new byte[] {2});
    assertThat(first.userDataPreimage().stateHash()).endsWith("abab");
    assertThat(second.userDataPreimage().stateHash()).endsWith("cdcd");
    assertThat(first.fields().userData()).contains(first.userDataPreimage().userData(mapper));
    assertThat(second.fields().userData()).contains(second.userDataPreimage().userData(mapper));
    assertThat(second.fields().publicKey()).contains(agentKey.publicKey());
  }

  @Test
  void theRateRefillsWithTheClock() {
    MutableClock clock = new MutableClock(Instant.parse("2026-04-01T00:00:00Z"));
    AttestationService service = service(SimulatedNsm.start(clock, random), clock, 2);
    service.attest(new byte[] {1});
    service.attest(new byte[] {1});
    assertThatThrownBy(() -> service.attest(new byte[] {1}))
        .isInstanceOfSatisfying(
            AgentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
    clock.advance(Duration.ofMillis(500));
    service.attest(new byte[] {1});
    assertThatThrownBy(() -> service.attest(new byte[] {1})).isInstanceOf(AgentException.class);
  }

  @Test
  void aFailingNsmIsA503ThatSaysNothingOfTheDevice() throws Exception {
    try (NitroNsm notAnNsm = NitroNsm.open(Path.of("/dev/null"))) {
      AttestationService service = service(notAnNsm, Clock.systemUTC(), 10);
      assertThatThrownBy(() -> service.attest(new byte[] {1}))
          .isInstanceOfSatisfying(
              AgentException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.ATTESTATION_UNAVAILABLE);
                assertThat(e.clientMessage()).doesNotContain("ENOTTY").doesNotContain("/dev");
              });
      assertThatThrownBy(service::refresh).isInstanceOf(NsmException.DeviceFailure.class);
      assertThat(service.codeAttestation()).isEmpty();
    }
  }
}
