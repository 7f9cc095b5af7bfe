package dev.teeagent.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of mutated and random documents: the verifier must answer each with a report (or the
 * typed exception) — no other exception, no hang, no unbounded allocation (the JVM's test heap
 * would fail on a 2^31-byte allocation). The seed is fixed so a failure reproduces; it is printed.
 */
class AttestationFuzzTest {
  private static final long SEED = 0x7ee_a9e7L;
  private static final int ROUNDS_PER_SEED = 1500;

  private final TestDocuments documents = new TestDocuments(Instant.parse("2026-02-01T00:00:00Z"));

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void mutatedAndRandomDocumentsOnlyEverFailWithTheTypedError() {
    List<byte[]> seeds =
        List.of(
            AwsFixtures.bytes(AwsFixtures.PROD),
            AwsFixtures.bytes(AwsFixtures.DEBUG),
            documents.sign(documents.payload(true, new byte[] {1, 2, 3})),
            documents.sign(documents.payload(false, null)));
    List<AttestationVerifier> verifiers =
        List.of(
            new AttestationVerifier(
                TrustedRoot.aws(), Clock.fixed(AwsFixtures.PROD_TIME, ZoneOffset.UTC)),
            new AttestationVerifier(documents.root(), Clock.fixed(documents.now, ZoneOffset.UTC)));
    Random random = new Random(SEED);
    int typedFailures = 0;
    int runs = 0;
    for (byte[] seed : seeds) {
      for (int round = 0; round < ROUNDS_PER_SEED; round++) {
        byte[] input = round % 10 == 9 ? randomBytes(random) : mutate(seed, random);
        for (AttestationVerifier verifier : verifiers) {
          runs++;
          try {
            verifier.verify(input, VerificationOptions.atDocumentTime().allowingDebug(true));
            assertThat(isOriginal(input, seeds))
                .as("a mutated document verified (seed %x, round %d)", SEED, round)
                .isTrue();
          } catch (AttestationVerificationException expected) {
            typedFailures++;
          } catch (RuntimeException | Error e) {
            throw new AssertionError(
                "untyped " + e + " (seed " + Long.toHexString(SEED) + ", round " + round + ")", e);
          }
        }
      }
    }
    assertThat(runs).isEqualTo(seeds.size() * ROUNDS_PER_SEED * verifiers.size());
    assertThat(typedFailures).isGreaterThan(runs * 9 / 10);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void mutatedCertificatesInACorrectlySignedDocumentOnlyFailWithTheTypedError() throws Exception {
    AttestationVerifier verifier =
        new AttestationVerifier(documents.root(), Clock.fixed(documents.now, ZoneOffset.UTC));
    byte[] root = TestDocuments.der(documents.chain.root());
    byte[] intermediate = TestDocuments.der(documents.chain.cabundle().get(1));
    byte[] leaf = TestDocuments.der(documents.chain.leafAt(documents.now).certificate());
    Random random = new Random(SEED + 1);
    int failures = 0;
    for (int round = 0; round < 600; round++) {
      byte[][] certificates = {root.clone(), intermediate.clone(), leaf.clone()};
      int target = 1 + random.nextInt(2);
      certificates[target] = mutate(certificates[target], random);
      if (certificates[target].length == 0 || certificates[target].length > 1024) {
        continue;
      }
      byte[] document =
          documents.sign(
              documents.payload(
                  true, null, List.of(certificates[0], certificates[1]), certificates[2]));
      try {
        verifier.verify(document, VerificationOptions.atDocumentTime());
      } catch (AttestationVerificationException expected) {
        failures++;
      } catch (RuntimeException | Error e) {
        throw new AssertionError("untyped " + e + " (round " + round + ")", e);
      }
    }
    // A mutation may hit bytes X.509 ignores; nearly all must still fail.
    assertThat(failures).isGreaterThan(400);
  }

  private static boolean isOriginal(byte[] input, List<byte[]> seeds) {
    for (byte[] seed : seeds) {
      if (Arrays.equals(input, seed)
          || (input.length == seed.length + 1
              && (input[0] & 0xff) == 0xd2
              && Arrays.equals(input, 1, input.length, seed, 0, seed.length))) {
        return true;
      }
    }
    return false;
  }

  private static byte[] randomBytes(Random random) {
    byte[] bytes = new byte[random.nextInt(6000)];
    random.nextBytes(bytes);
    if (bytes.length > 0 && random.nextBoolean()) {
      bytes[0] = (byte) 0x84; // looks like a COSE_Sign1 array
    }
    return bytes;
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] data = seed.clone();
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations && data.length > 0; m++) {
      int at = random.nextInt(data.length);
      data =
          switch (random.nextInt(8)) {
            case 0 -> flip(data, at, random);
            case 1 -> Arrays.copyOf(data, at); // truncate
            case 2 -> insert(data, at, randomChunk(random));
            case 3 -> hugeLength(data, at, random);
            case 4 -> insert(data, at, new byte[] {(byte) (0xc0 | random.nextInt(24))}); // a tag
            case 5 -> insert(data, at, new byte[] {(byte) (0x5f + 0x20 * random.nextInt(4))});
            case 6 -> duplicate(data, at, random);
            default -> {
              data[at] = (byte) random.nextInt(256);
              yield data;
            }
          };
    }
    return data;
  }

  private static byte[] flip(byte[] data, int at, Random random) {
    data[at] ^= (byte) (1 << random.nextInt(8));
    return data;
  }

  /** A string/array/map head claiming up to 2^64-1 items or bytes. */
  private static byte[] hugeLength(byte[] data, int at, Random random) {
    byte[] head = new byte[9];
    head[0] = (byte) ((2 + random.nextInt(4)) << 5 | 27);
    for (int i = 1; i < 9; i++) {
      head[i] = (byte) (random.nextBoolean() ? 0xff : random.nextInt(256));
    }
    return insert(data, at, head);
  }

  private static byte[] duplicate(byte[] data, int at, Random random) {
    int length = Math.min(data.length - at, 1 + random.nextInt(64));
    return insert(data, at, Arrays.copyOfRange(data, at, at + length));
  }

  private static byte[] randomChunk(Random random) {
    byte[] chunk = new byte[1 + random.nextInt(16)];
    random.nextBytes(chunk);
    return chunk;
  }

  private static byte[] insert(byte[] data, int at, byte[] chunk) {
    List<Byte> out = new ArrayList<>(data.length + chunk.length);
    for (int i = 0; i < at; i++) {
      out.add(data[i]);
    }
    for (byte b : chunk) {
      out.add(b);
    }
    for (int i = at; i < data.length; i++) {
      out.add(data[i]);
    }
    byte[] result = new byte[out.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = out.get(i);
    }
    return result;
  }
}
