package dev.teeagent.nsm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;

/**
 * The NSM spoken to in CBOR: encodes each request, hands it to {@link #exchange} and decodes the
 * answer. The real device and the simulation differ only in {@link #exchange}, so the simulated
 * mode runs the same protocol code as an enclave.
 */
abstract sealed class CborNsm implements Nsm permits NitroNsm, SimulatedNsm {

  /**
   * Sends one encoded request {@code name} (≤ 4096 bytes) and returns the encoded answer (≤ 12288
   * bytes).
   */
  abstract byte[] exchange(String name, byte[] request) throws NsmException;

  @Override
  public final byte[] attestation(byte[] userData, byte[] nonce, byte[] publicKey)
      throws NsmException {
    JsonNode fields = call("Attestation", NsmMessages.attestation(userData, nonce, publicKey));
    return NsmMessages.binary("Attestation", fields, "document");
  }

  @Override
  public final PcrValue describePcr(int index) throws NsmException {
    JsonNode fields = call("DescribePCR", NsmMessages.describePcr(index));
    JsonNode lock = fields.get("lock");
    if (lock == null || !lock.isBoolean()) {
      throw new NsmException.ProtocolFailure("DescribePCR: lock is not a boolean");
    }
    return new PcrValue(lock.booleanValue(), NsmMessages.binary("DescribePCR", fields, "data"));
  }

  @Override
  public final byte[] random() throws NsmException {
    return NsmMessages.entropy(call("GetRandom", NsmMessages.getRandom()));
  }

  @Override
  public final Description describe() throws NsmException {
    String name = "DescribeNSM";
    JsonNode fields = call(name, NsmMessages.describeNsm());
    JsonNode locked = fields.get("locked_pcrs");
    if (locked == null || !locked.isArray()) {
      throw new NsmException.ProtocolFailure(name + ": locked_pcrs is not an array");
    }
    Set<Integer> lockedPcrs = new TreeSet<>();
    for (JsonNode index : locked) {
      if (!index.canConvertToInt() || !index.isIntegralNumber()) {
        throw new NsmException.ProtocolFailure(name + ": locked_pcrs holds a non-integer");
      }
      lockedPcrs.add(index.intValue());
    }
    return new Description(
        NsmMessages.integer(name, fields, "version_major"),
        NsmMessages.integer(name, fields, "version_minor"),
        NsmMessages.integer(name, fields, "version_patch"),
        NsmMessages.text(name, fields, "module_id"),
        NsmMessages.integer(name, fields, "max_pcrs"),
        Set.copyOf(lockedPcrs),
        NsmMessages.text(name, fields, "digest"));
  }

  private JsonNode call(String name, byte[] request) throws NsmException {
    if (request.length > NsmMessages.MAX_REQUEST_BYTES) {
      throw new NsmException.ProtocolFailure(
          name + ": request larger than " + NsmMessages.MAX_REQUEST_BYTES + " bytes");
    }
    return NsmMessages.answer(name, exchange(name, request));
  }
}
