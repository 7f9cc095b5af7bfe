package dev.teeagent.testing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Seeded randomized cases for property tests: each case gets its own {@link Random} derived from
 * one fixed seed, so a failure names the case and its seed and reproduces on every run. Generators
 * pick a bound (minimum or maximum) one time in eight, where off-by-one mistakes live.
 */
public final class RandomCases {
  private RandomCases() {}

  /** One case of a property: the random source to draw its inputs from, and its index. */
  @FunctionalInterface
  public interface Case {
    void check(Random random, int index) throws Exception;
  }

  /** Runs {@code count} cases of {@code property}; a failure names the seed that reproduces it. */
  public static void forEach(long seed, int count, Case property) {
    Random seeds = new Random(seed);
    for (int index = 0; index < count; index++) {
      long caseSeed = seeds.nextLong();
      try {
        property.check(new Random(caseSeed), index);
      } catch (Exception | AssertionError e) {
        throw new AssertionError(
            "case %d of seed 0x%x failed (its own seed 0x%x): %s"
                .formatted(index, seed, caseSeed, e.getMessage()),
            e);
      }
    }
  }

  public static boolean bound(Random random) {
    return random.nextInt(8) == 0;
  }

  /** A value in [min, max], either bound one time in eight. */
  public static BigInteger between(Random random, BigInteger min, BigInteger max) {
    if (bound(random)) {
      return random.nextBoolean() ? min : max;
    }
    BigInteger span = max.subtract(min).add(BigInteger.ONE);
    // Pick a bit length first, so small and large magnitudes are both common.
    BigInteger candidate = new BigInteger(1 + random.nextInt(span.bitLength()), random);
    return min.add(candidate.mod(span));
  }

  public static long between(Random random, long min, long max) {
    return between(random, BigInteger.valueOf(min), BigInteger.valueOf(max)).longValueExact();
  }

  public static int between(Random random, int min, int max) {
    return (int) between(random, (long) min, max);
  }

  /** Any long, with 0, ±1 and the extremes among the bounds drawn. */
  public static long anyLong(Random random) {
    if (bound(random)) {
      return oneOf(random, 0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE);
    }
    return random.nextLong();
  }

  public static byte[] bytes(Random random, int minSize, int maxSize) {
    byte[] bytes = new byte[between(random, minSize, maxSize)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** A string of {@code minLength..maxLength} chars, each in [from, to]. */
  public static String chars(Random random, int minLength, int maxLength, char from, char to) {
    int length = between(random, minLength, maxLength);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) between(random, from, to));
    }
    return text.toString();
  }

  @SafeVarargs
  public static <T> T oneOf(Random random, T... values) {
    return values[random.nextInt(values.length)];
  }

  /** A list of {@code 0..maxSize} elements, empty or full among the bounds drawn. */
  public static <T> List<T> listOf(Random random, int maxSize, Function<Random, T> element) {
    int size = between(random, 0, maxSize);
    List<T> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      list.add(element.apply(random));
    }
    return list;
  }
}
