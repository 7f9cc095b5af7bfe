package dev.teeagent.crypto;

import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** keccak256 as Ethereum uses it (not NIST SHA3-256). */
public final class Keccak {
  private Keccak() {}

  public static byte[] hash(byte[] input) {
    return Hash.sha3(input);
  }

  /** 0x-prefixed hex of keccak256(input). */
  public static String hashHex(byte[] input) {
    return Numeric.toHexString(Hash.sha3(input));
  }
}
