package dev.teeagent.identity;

import dev.teeagent.custody.CustodyException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the host keeps the agent's sealed blobs ({@code identity.datakey}, {@code
 * identity.sealed}): a local folder ({@code --state-dir}) or, in an enclave, which has no disk, the
 * host's state store over the host link ({@code --state-url}). The blobs are opaque to the host
 * (sealed, or KMS ciphertext); what the host can do with them is refuse, lose, or hand back an old
 * one, which the sealed format and the boot rules handle. A write returns only once the blob is
 * durably stored.
 */
public interface SnapshotFolder {
  /** The names a blob may have: what the agent writes, and nothing that could leave a folder. */
  Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}(\\.[a-z0-9-]{1,16}){0,2}");

  /** The blob stored under {@code name}, or empty when there is none. */
  Optional<byte[]> read(String name) throws CustodyException;

  /** Replaces the blob under {@code name}; returns once it is durably stored. */
  void write(String name, byte[] bytes) throws CustodyException;

  /** The flag that chose it: {@code --state-dir} or {@code --state-url}. */
  String flag();

  /** The folder or URL (what {@code /config} shows as {@code identity.state_dir}). */
  String place();

  /** The flag and place, for sentences: {@code --state-dir /x} or {@code --state-url http://…}. */
  default String where() {
    return flag() + " " + place();
  }
}
