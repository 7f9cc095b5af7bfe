package dev.teeagent.transactions;

import dev.teeagent.crypto.Address;
import dev.teeagent.variables.NonceGate;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The authorization nonce of each API signer ({@code tx_api_signers}), from 0 at boot, shown in
 * {@code /config} as {@code signer_nonces}: one {@link NonceGate} per signer, the rule the
 * operator's nonce follows too.
 */
public final class SignerNonces {
  private final Map<Address, NonceGate> gates = new ConcurrentHashMap<>();

  /** How refusals name {@code signer}'s counter. */
  static String counter(Address signer) {
    return "nonce of API signer " + signer;
  }

  public BigInteger next(Address signer) {
    NonceGate gate = gates.get(signer);
    return gate == null ? BigInteger.ZERO : gate.next();
  }

  /** Runs {@code action} as the use of {@code signer}'s nonce {@code nonce} ({@link NonceGate}). */
  public <T> T withNonce(Address signer, BigInteger nonce, Supplier<T> action) {
    return gates
        .computeIfAbsent(signer, address -> new NonceGate(counter(address)))
        .use(nonce, action);
  }

  /** Every signer's next nonce (what a sealed snapshot keeps). */
  public Map<Address, BigInteger> image() {
    Map<Address, BigInteger> image = new HashMap<>();
    gates.forEach((signer, gate) -> image.put(signer, gate.next()));
    return Map.copyOf(image);
  }

  /** Replaces every signer's next nonce with a restored one (at boot, before serving). */
  public void restore(Map<Address, BigInteger> restored) {
    gates.clear();
    restored.forEach(
        (signer, next) -> {
          NonceGate gate = new NonceGate(counter(signer));
          gate.restore(next);
          gates.put(signer, gate);
        });
  }

  /** address (EIP-55) → next nonce, for the given signers, sorted by address. */
  public Map<String, BigInteger> view(Collection<Address> signers) {
    Map<String, BigInteger> view = new TreeMap<>();
    for (Address signer : signers) {
      view.put(signer.checksummed(), next(signer));
    }
    return view;
  }
}
