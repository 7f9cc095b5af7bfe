package dev.teeagent.variables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.audit.AuditEntry;
import dev.teeagent.audit.AuditLog;
import dev.teeagent.crypto.Jcs;
import dev.teeagent.crypto.Keccak;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Everything the operator controls, behind one lock: the variables, {@code operator_nonce} and the
 * audit log. One lock is what makes the operator nonce a single counter for every kind of operator
 * authorization (variable batches here, {@code SignRequest}s in transactions) and what keeps two
 * batches from ever interleaving.
 *
 * <p>Writers go through {@link #withOperatorNonce} (check that the nonce is the next one, run the
 * action, consume the nonce only if the action returns normally) or {@link #appendTransaction}.
 * Readers never block: every change publishes an immutable {@link Snapshot} with its {@code
 * state_hash} already computed.
 */
public final class AgentState implements VariableSource {
  public static final String KIND_COMMANDS = "commands";
  public static final String KIND_TRANSACTION = "transaction";

  private final ReentrantLock lock = new ReentrantLock();
  private final VariableRules rules;
  private final Clock clock;
  private final ObjectMapper mapper;
  private final AuditLog audit;
  private SortedMap<String, Variable> variables = new TreeMap<>();
  private final NonceGate operatorNonce = new NonceGate(NonceGate.OPERATOR);
  private volatile Snapshot snapshot;
  private Runnable commitHook = () -> {};
  private final AtomicLong commits = new AtomicLong();

  /**
   * A consistent view: variables, the next operator nonce, the audit head and length, and {@code
   * state_hash} = keccak256(JCS({audit_head, operator_nonce, variables})).
   */
  public record Snapshot(
      SortedMap<String, Variable> variables,
      BigInteger operatorNonce,
      String auditHead,
      long auditLength,
      String stateHash) {
    public List<VariableView> views() {
      return variables.values().stream().map(Variable::view).toList();
    }
  }

  /** The preimage of {@code state_hash}, as a third party rebuilds it from {@code /variables}. */
  record StatePreimage(String auditHead, String operatorNonce, List<VariableView> variables) {}

  /** An accepted batch: the audit entry that records it and the state right after it. */
  public record Applied(AuditEntry entry, Snapshot after) {}

  /** What a sealed snapshot keeps of this state: variables, next operator nonce, audit log. */
  public record Image(List<Variable> variables, BigInteger operatorNonce, List<AuditEntry> audit) {
    public Image {
      variables = List.copyOf(variables);
      audit = List.copyOf(audit);
    }
  }

  public AgentState(VariableRules rules, Clock clock, ObjectMapper mapper) {
    this.rules = rules;
    this.clock = clock;
    this.mapper = mapper;
    this.audit = new AuditLog(mapper);
    publish();
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  /**
   * Runs {@code hook} under the lock after every accepted batch and every transaction step taken
   * through {@link #exclusively}, before the caller answers: a sealed identity stores its snapshot
   * there. A hook that throws fails the request; the change stays in memory and the next store
   * carries it.
   */
  public void onCommit(Runnable hook) {
    lock.lock();
    try {
      commitHook = hook;
    } finally {
      lock.unlock();
    }
  }

  /** The state as it is now, under the lock (call from a commit hook for a consistent image). */
  public Image image() {
    lock.lock();
    try {
      return new Image(List.copyOf(variables.values()), operatorNonce.next(), audit.entries());
    } finally {
      lock.unlock();
    }
  }

  /** Replaces the state with a restored image (at boot, before serving). */
  public void restore(Image image) {
    lock.lock();
    try {
      audit.restore(image.audit());
      SortedMap<String, Variable> restored = new TreeMap<>();
      image.variables().forEach(variable -> restored.put(variable.name(), variable));
      variables = restored;
      operatorNonce.restore(image.operatorNonce());
      publish();
    } finally {
      lock.unlock();
    }
  }

  /**
   * How many changes (batches, transaction steps) were committed since the start: the envelope's
   * state counter of an agent without a sealed identity.
   */
  public long commits() {
    return commits.get();
  }

  /** {@code state_hash} now (for {@code /config} and attestation {@code user_data}). */
  public String stateHash() {
    return snapshot.stateHash();
  }

  /** The next operator nonce. */
  public BigInteger operatorNonce() {
    return snapshot.operatorNonce();
  }

  /** Hidden values in plaintext: for the agent's own use, never for an answer or a log. */
  @Override
  public Optional<String> value(String name) {
    return valueIn(snapshot, name);
  }

  /** The variables of the current snapshot, which later batches do not change. */
  @Override
  public VariableSource now() {
    Snapshot fixed = snapshot;
    return name -> valueIn(fixed, name);
  }

  private static Optional<String> valueIn(Snapshot snapshot, String name) {
    return Optional.ofNullable(snapshot.variables().get(name)).map(Variable::value);
  }

  /**
   * Runs {@code action} as the use of operator nonce {@code nonce} ({@link NonceGate}'s rule). The
   * state lock is held throughout, so nothing else the operator signed runs in between and the
   * published snapshot has the nonce consumed; the action may call {@link #appendTransaction} (the
   * lock is reentrant). An action that throws changes nothing, so it must append to the audit log
   * last.
   */
  public <T> T withOperatorNonce(BigInteger nonce, Supplier<T> action) {
    lock.lock();
    try {
      T result = operatorNonce.use(nonce, action);
      publish();
      return result;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Applies an operator batch that has been verified as signed by the operator: nonce, rules, then
   * one {@code commands} audit entry with {@code auditPayload} (hidden values already hashed).
   */
  public Applied applyBatch(
      BigInteger nonce, List<VariableCommand> commands, ObjectNode auditPayload) {
    lock.lock();
    try {
      AuditEntry entry =
          withOperatorNonce(
              nonce,
              () -> {
                SortedMap<String, Variable> next = rules.apply(variables, commands);
                AuditEntry appended = audit.append(KIND_COMMANDS, auditPayload, clock.millis());
                variables = next;
                return appended;
              });
      commits.incrementAndGet();
      commitHook.run();
      return new Applied(entry, snapshot);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code action} while no batch can apply: a transaction decides on the policy, signs and
   * records itself in one step, so a batch that closes the policy comes after it or stops it.
   */
  public <T> T exclusively(Supplier<T> action) {
    lock.lock();
    try {
      T result = action.get();
      commits.incrementAndGet();
      commitHook.run();
      return result;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Records a signed transaction (payload: raw signed tx, hash, mode, authorizing address) as a
   * {@code transaction} audit entry.
   */
  public AuditEntry appendTransaction(ObjectNode payload) {
    lock.lock();
    try {
      AuditEntry entry = audit.append(KIND_TRANSACTION, payload, clock.millis());
      publish();
      return entry;
    } finally {
      lock.unlock();
    }
  }

  /** A page of the audit log with the snapshot it was read at (so that head matches). */
  public record AuditPage(List<AuditEntry> entries, Snapshot at) {}

  public AuditPage audit(long from, int limit) {
    lock.lock();
    try {
      return new AuditPage(audit.page(from, limit), snapshot);
    } finally {
      lock.unlock();
    }
  }

  private void publish() {
    SortedMap<String, Variable> frozen =
        java.util.Collections.unmodifiableSortedMap(new TreeMap<>(variables));
    String head = audit.head();
    BigInteger nonce = operatorNonce.next();
    List<VariableView> views = frozen.values().stream().map(Variable::view).toList();
    String stateHash =
        Keccak.hashHex(Jcs.canonicalize(write(new StatePreimage(head, nonce.toString(), views))));
    snapshot = new Snapshot(frozen, nonce, head, audit.size(), stateHash);
  }

  private String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("state is not serializable");
    }
  }
}
