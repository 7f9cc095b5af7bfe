package dev.teeagent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/** The example locked key policy of docs/custody.md, pinned to one PCR0 (what an admin pastes). */
public final class LockedPolicy {
  private LockedPolicy() {}

  public static String forPcr0(String pcr0Hex) {
    try {
      String doc =
          Files.readString(
              NodeScript.projectDir().resolve("docs/custody.md"), StandardCharsets.UTF_8);
      String json = doc.substring(doc.indexOf("```json\n") + 8);
      return json.substring(0, json.indexOf("```")).replace("PCR0_HEX", pcr0Hex);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
