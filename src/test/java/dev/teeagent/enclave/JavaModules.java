package dev.teeagent.enclave;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * enclave/java-modules: the modules of the enclave's runtime, and the modules jdeps reports that
 * were left out on purpose, each with its reason.
 */
record JavaModules(Set<String> included, Map<String, String> excluded) {
  static JavaModules load() {
    Set<String> included = new LinkedHashSet<>();
    Map<String, String> excluded = new LinkedHashMap<>();
    for (String line : EnclaveFiles.read("enclave/java-modules").lines().toList()) {
      String content = line.replaceFirst("#.*", "").strip();
      if (content.isEmpty()) {
        continue;
      }
      if (content.startsWith("-")) {
        String[] parts = content.substring(1).split("\\s+", 2);
        excluded.put(parts[0], parts.length > 1 ? parts[1].strip() : "");
      } else {
        included.add(content);
      }
    }
    return new JavaModules(included, excluded);
  }
}
