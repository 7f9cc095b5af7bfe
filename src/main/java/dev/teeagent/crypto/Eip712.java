package dev.teeagent.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * EIP-712 typed-data hashing for the fixed struct types the agent verifies (operator command
 * batches, transaction authorizations). A generic JSON-driven encoder (web3j's
 * StructuredDataEncoder) would parse type strings on every request; the types here are constants,
 * so each struct is encoded word by word with {@link Struct}. Byte-equality with ethers'
 * TypedDataEncoder is proven by the interop tests.
 */
public final class Eip712 {
  private static final BigInteger MAX_UINT256 = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

  private Eip712() {}

  /** {@code EIP712Domain(string name,string version,address verifyingContract)}. */
  public record Domain(String name, String version, Address verifyingContract) {
    public static final String TYPE =
        "EIP712Domain(string name,string version,address verifyingContract)";

    /** The only domain version the agent signs and verifies under; /config publishes it. */
    public static final String VERSION = "1";

    public Domain {
      if (name == null || version == null || verifyingContract == null) {
        throw new IllegalArgumentException("domain name, version and verifyingContract are set");
      }
    }

    /** The agent's domain: its TEE name, {@link #VERSION}, and its own address as contract. */
    public static Domain of(String name, Address verifyingContract) {
      return new Domain(name, VERSION, verifyingContract);
    }

    public byte[] separator() {
      return Struct.of(TYPE).string(name).string(version).address(verifyingContract).hash();
    }
  }

  /** keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash): the digest that is signed. */
  public static byte[] digest(Domain domain, byte[] structHash) {
    return digest(domain.separator(), structHash);
  }

  public static byte[] digest(byte[] domainSeparator, byte[] structHash) {
    byte[] all = new byte[66];
    all[0] = 0x19;
    all[1] = 0x01;
    System.arraycopy(domainSeparator, 0, all, 2, 32);
    System.arraycopy(structHash, 0, all, 34, 32);
    return Hash.sha3(all);
  }

  /** keccak256 of a type string, e.g. "Mail(address from,string contents)". */
  public static byte[] typeHash(String encodedType) {
    return Hash.sha3(Utf8.strict(encodedType));
  }

  /**
   * {@code encodeData} of one struct: its type hash followed by one 32-byte word per member, in
   * declaration order. Dynamic members (string, bytes, arrays) are encoded as their keccak256.
   */
  public static final class Struct {
    private final ByteArrayOutputStream words = new ByteArrayOutputStream(32 * 8);

    private Struct(byte[] typeHash) {
      words.writeBytes(typeHash);
    }

    /** Starts a struct of the given encoded type (with referenced types appended, per EIP-712). */
    public static Struct of(String encodedType) {
      return new Struct(typeHash(encodedType));
    }

    /** Starts a struct whose type hash is already computed (hot paths keep it in a constant). */
    public static Struct ofTypeHash(byte[] typeHash) {
      if (typeHash.length != 32) {
        throw new IllegalArgumentException("a type hash is 32 bytes");
      }
      return new Struct(typeHash);
    }

    public Struct string(String value) {
      words.writeBytes(Hash.sha3(Utf8.strict(value)));
      return this;
    }

    public Struct bytes(byte[] value) {
      words.writeBytes(Hash.sha3(value));
      return this;
    }

    public Struct bool(boolean value) {
      byte[] word = new byte[32];
      word[31] = (byte) (value ? 1 : 0);
      words.writeBytes(word);
      return this;
    }

    public Struct uint256(BigInteger value) {
      if (value.signum() < 0 || value.compareTo(MAX_UINT256) > 0) {
        throw new IllegalArgumentException("uint256 out of range");
      }
      words.writeBytes(Numeric.toBytesPadded(value, 32));
      return this;
    }

    public Struct address(Address value) {
      byte[] word = new byte[32];
      System.arraycopy(value.toBytes(), 0, word, 12, 20);
      words.writeBytes(word);
      return this;
    }

    /** A 32-byte word as is: a nested struct's hash, an array's hash, or a bytes32 member. */
    public Struct word(byte[] word) {
      if (word.length != 32) {
        throw new IllegalArgumentException("a word is 32 bytes");
      }
      words.writeBytes(word);
      return this;
    }

    /** hashStruct = keccak256(encodeData). */
    public byte[] hash() {
      return Hash.sha3(words.toByteArray());
    }
  }

  /** The hash of an array member: keccak256 of the concatenated element hashes (EIP-712). */
  public static byte[] arrayHash(java.util.List<byte[]> elementHashes) {
    byte[] all = new byte[32 * elementHashes.size()];
    for (int i = 0; i < elementHashes.size(); i++) {
      System.arraycopy(elementHashes.get(i), 0, all, 32 * i, 32);
    }
    return Hash.sha3(all);
  }
}
