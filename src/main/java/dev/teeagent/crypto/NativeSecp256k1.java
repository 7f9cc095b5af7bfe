package dev.teeagent.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libsecp256k1 (Bitcoin Core's constant-time implementation, Debian package libsecp256k1-1) called
 * through Java's FFM API, for the agent's hot path: signing every answer. It is about three times
 * faster than the pure-Java {@link Secp256k1} and does not leak timing through BigInteger
 * arithmetic. When the library is absent the agent falls back to {@link Secp256k1}; both give the
 * same bytes (RFC 6979, low s), which the tests check.
 *
 * <p>FFM downcalls are "restricted" methods: the jar's manifest grants native access
 * (Enable-Native-Access), hence the suppressed lint warning.
 */
@SuppressWarnings("restricted")
public final class NativeSecp256k1 {
  private static final Logger LOG = LoggerFactory.getLogger(NativeSecp256k1.class);
  private static final List<String> LIBRARY_NAMES =
      List.of("libsecp256k1.so.1", "libsecp256k1.so.2", "libsecp256k1.so");
  private static final int SECP256K1_CONTEXT_NONE = 1;
  private static final long RECOVERABLE_SIGNATURE_BYTES = 65;

  private final MemorySegment context;
  private final MethodHandle signRecoverable;
  private final MethodHandle serializeCompact;
  private final MethodHandle seckeyVerify;

  private NativeSecp256k1(SymbolLookup library, SecureRandom random) throws Throwable {
    Linker linker = Linker.nativeLinker();
    MethodHandle create =
        linker.downcallHandle(
            library.findOrThrow("secp256k1_context_create"),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    MethodHandle randomize =
        linker.downcallHandle(
            library.findOrThrow("secp256k1_context_randomize"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    signRecoverable =
        linker.downcallHandle(
            library.findOrThrow("secp256k1_ecdsa_sign_recoverable"),
            FunctionDescriptor.of(
                ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS));
    serializeCompact =
        linker.downcallHandle(
            library.findOrThrow("secp256k1_ecdsa_recoverable_signature_serialize_compact"),
            FunctionDescriptor.of(
                ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS));
    seckeyVerify =
        linker.downcallHandle(
            library.findOrThrow("secp256k1_ec_seckey_verify"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    context = (MemorySegment) create.invokeExact(SECP256K1_CONTEXT_NONE);
    if (context.equals(MemorySegment.NULL)) {
      throw new IllegalStateException("secp256k1_context_create failed");
    }
    // Blinding against side channels, as the library recommends; once, before any concurrent use.
    try (Arena arena = Arena.ofConfined()) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      MemorySegment seedSegment = arena.allocate(32);
      MemorySegment.copy(seed, 0, seedSegment, ValueLayout.JAVA_BYTE, 0, 32);
      java.util.Arrays.fill(seed, (byte) 0);
      if ((int) randomize.invokeExact(context, seedSegment) != 1) {
        throw new IllegalStateException("secp256k1_context_randomize failed");
      }
    }
  }

  /** The library if it can be loaded here, else empty (and the pure-Java signer is used). */
  public static Optional<NativeSecp256k1> load(SecureRandom random) {
    for (String name : LIBRARY_NAMES) {
      try {
        SymbolLookup library = SymbolLookup.libraryLookup(name, Arena.global());
        NativeSecp256k1 loaded = new NativeSecp256k1(library, random);
        LOG.info("signing with libsecp256k1 ({})", name);
        return Optional.of(loaded);
      } catch (IllegalArgumentException notFound) {
        // try the next name
      } catch (Throwable unusable) {
        LOG.warn("libsecp256k1 {} unusable ({})", name, unusable.getClass().getSimpleName());
      }
    }
    LOG.info("libsecp256k1 not found: signing with the pure-Java implementation");
    return Optional.empty();
  }

  /** Copies a private scalar into native memory that lives as long as the process. */
  DigestSigner signerFor(BigInteger privateScalar) {
    MemorySegment key = Arena.global().allocate(32);
    byte[] bytes = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, privateScalar);
    MemorySegment.copy(bytes, 0, key, ValueLayout.JAVA_BYTE, 0, 32);
    java.util.Arrays.fill(bytes, (byte) 0);
    try {
      if ((int) seckeyVerify.invokeExact(context, key) != 1) {
        throw new IllegalArgumentException("private key out of range");
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("libsecp256k1 call failed", e);
    }
    return digest -> sign(key, digest);
  }

  private EthSignature sign(MemorySegment key, byte[] digest) {
    if (digest.length != 32) {
      throw new IllegalArgumentException("digest must be 32 bytes");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment message = arena.allocate(32);
      MemorySegment.copy(digest, 0, message, ValueLayout.JAVA_BYTE, 0, 32);
      MemorySegment signature = arena.allocate(RECOVERABLE_SIGNATURE_BYTES);
      int signed =
          (int)
              signRecoverable.invokeExact(
                  context, signature, message, key, MemorySegment.NULL, MemorySegment.NULL);
      if (signed != 1) {
        throw new IllegalStateException("secp256k1_ecdsa_sign_recoverable failed");
      }
      MemorySegment compact = arena.allocate(64);
      MemorySegment recoveryId = arena.allocate(ValueLayout.JAVA_INT);
      int serialized = (int) serializeCompact.invokeExact(context, compact, recoveryId, signature);
      if (serialized != 1) {
        throw new IllegalStateException("signature serialization failed");
      }
      byte[] rs = compact.toArray(ValueLayout.JAVA_BYTE);
      BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(rs, 0, 32));
      BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(rs, 32, 64));
      return new EthSignature(r, s, 27 + recoveryId.get(ValueLayout.JAVA_INT, 0));
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("libsecp256k1 call failed", e);
    }
  }
}
