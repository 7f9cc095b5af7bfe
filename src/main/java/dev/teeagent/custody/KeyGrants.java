package dev.teeagent.custody;

import java.util.List;

/**
 * What {@code ListGrants} says about a key, as far as custody needs it: the ids of its first
 * grants, and whether KMS has more. A grant gives its grantee operations the key policy does not
 * name, so a locked key has none.
 *
 * @param ids the grant ids KMS listed (at most one page)
 * @param more whether KMS said the list goes on
 */
public record KeyGrants(List<String> ids, boolean more) {
  public KeyGrants {
    ids = List.copyOf(ids);
  }

  /** A key without grants. */
  public static KeyGrants none() {
    return new KeyGrants(List.of(), false);
  }

  public boolean isEmpty() {
    return ids.isEmpty() && !more;
  }
}
