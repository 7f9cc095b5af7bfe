package dev.teeagent.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The libsecp256k1 signer gives exactly the pure-Java signer's bytes (RFC 6979, low s). */
class NativeSecp256k1Test {
  private static final NativeSecp256k1 LIBRARY =
      NativeSecp256k1.load(new SecureRandom())
          .orElseThrow(
              () ->
                  new AssertionError(
                      "libsecp256k1 is not installed (Debian: apt-get install libsecp256k1-1)"));

  @Test
  void signsExactlyAsThePureJavaSignerForRandomKeysAndDigests() {
    Random random = new Random(42);
    for (int i = 0; i < 500; i++) {
      BigInteger d =
          new BigInteger(256, random).mod(Secp256k1.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      byte[] digest = new byte[32];
      random.nextBytes(digest);
      SigningKey nativeKey = new SigningKey(d, Optional.of(LIBRARY));
      SigningKey javaKey = new SigningKey(d, Optional.empty());
      EthSignature fromNative = nativeKey.signDigest(digest);
      assertThat(fromNative).isEqualTo(javaKey.signDigest(digest));
      assertThat(Secp256k1.recoverAddress(digest, fromNative)).contains(nativeKey.address());
    }
  }

  @Test
  void matchesTheEthersVectorForTheDevelopmentKey() {
    BigInteger d =
        new BigInteger("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", 16);
    SigningKey key = new SigningKey(d, Optional.of(LIBRARY));
    assertThat(
            key.signPersonalMessage("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toHex())
        .isEqualTo(
            "0xf16ea9a3478698f695fd1401bfe27e9e4a7e8e3da94aa72b021125e31fa899cc573c48ea3fe1d4ab61a9db10c19032026e3ed2dbccba5a178235ac27f94504311c");
  }

  @Test
  void signsConcurrentlyFromManyThreads() throws Exception {
    SigningKey key = SigningKey.generate(new SecureRandom(), Optional.of(LIBRARY));
    var threads = new java.util.ArrayList<Thread>();
    var failures = new java.util.concurrent.atomic.AtomicInteger();
    for (int t = 0; t < 8; t++) {
      int seed = t;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 200; i++) {
                      byte[] digest = new byte[32];
                      random.nextBytes(digest);
                      if (!Secp256k1.recoverAddress(digest, key.signDigest(digest))
                          .equals(Optional.of(key.address()))) {
                        failures.incrementAndGet();
                      }
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).hasValue(0);
  }
}
