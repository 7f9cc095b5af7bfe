package dev.teeagent.nsm;

import java.nio.file.Path;
import java.util.HexFormat;

/** PCR0 of a jar as the simulated NSM measures it (for key policies in tests). */
public final class JarMeasurement {
  private JarMeasurement() {}

  public static String pcr0Hex(Path jar) {
    return HexFormat.of().formatHex(CodeMeasurement.of(jar).pcrs().get(0));
  }
}
