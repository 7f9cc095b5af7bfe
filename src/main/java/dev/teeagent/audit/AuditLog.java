package dev.teeagent.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.teeagent.crypto.Jcs;
import dev.teeagent.crypto.Keccak;
import dev.teeagent.json.SafeNumbers;
import java.util.ArrayList;
import java.util.List;

/**
 * The hash-chained log of everything that changed the agent's state (DESIGN §5). Not thread-safe:
 * {@link AgentState} owns it and appends under its lock.
 */
public final class AuditLog {
  static final String GENESIS = "0x" + "00".repeat(32);

  private final ObjectMapper mapper;
  private final List<AuditEntry> entries = new ArrayList<>();

  public AuditLog(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The hash of the last entry, or 32 zero bytes when the log is empty. */
  public String head() {
    return entries.isEmpty() ? GENESIS : entries.getLast().hash();
  }

  public int size() {
    return entries.size();
  }

  public AuditEntry append(String kind, ObjectNode payload, long at) {
    // Numbers beyond 2^53 become strings first, exactly as the signed /audit answer shows them.
    ObjectNode frozen = payload.deepCopy();
    SafeNumbers.makeSafe(frozen);
    ObjectNode entry = mapper.createObjectNode();
    entry.put("index", entries.size());
    entry.put("prev", head());
    entry.put("kind", kind);
    entry.put("at", at);
    entry.set("payload", frozen);
    String hash = Keccak.hashHex(Jcs.canonicalize(write(entry)));
    AuditEntry appended = new AuditEntry(entries.size(), head(), kind, at, frozen, hash);
    entries.add(appended);
    return appended;
  }

  /** Every entry, oldest first (what a sealed snapshot keeps). */
  public List<AuditEntry> entries() {
    return List.copyOf(entries);
  }

  /**
   * Replaces the log with {@code restored} after checking it is one unbroken chain from genesis:
   * each entry's index and {@code prev} are recomputed, so an entry altered, dropped or reordered
   * is refused and the log is left as it was.
   */
  public void restore(List<AuditEntry> restored) {
    AuditLog rebuilt = new AuditLog(mapper);
    for (AuditEntry entry : restored) {
      if (entry.index() != rebuilt.size()
          || !entry.prev().equals(rebuilt.head())
          || !(entry.payload() instanceof ObjectNode payload)) {
        throw new IllegalArgumentException(
            "the restored audit log is broken at entry " + rebuilt.size());
      }
      rebuilt.append(entry.kind(), payload, entry.at());
    }
    entries.clear();
    entries.addAll(rebuilt.entries);
  }

  /** Up to {@code limit} entries from {@code from}. */
  public List<AuditEntry> page(long from, int limit) {
    if (from >= entries.size()) {
      return List.of();
    }
    int start = (int) from;
    return List.copyOf(entries.subList(start, Math.min(entries.size(), start + limit)));
  }

  private String write(ObjectNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit entry is not serializable");
    }
  }
}
