package dev.teeagent.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 description of this API (src/main/resources), served
 * as it is in the jar. Like {@code /health} it is not signed (DESIGN §9): OpenAPI tools read the
 * document itself, which a signed envelope would not be; its bytes are part of the measured jar.
 */
final class OpenApiDocument {
  static final String PATH = "/openapi.json";
  static final String CONTENT_TYPE = "application/json";
  private static final String RESOURCE = "/openapi.json";

  private OpenApiDocument() {}

  /** The document's bytes, read once from the jar. */
  static byte[] bytes() {
    return Holder.BYTES.clone();
  }

  private static final class Holder {
    private static final byte[] BYTES = load();

    private static byte[] load() {
      try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("the jar holds no " + RESOURCE);
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
