package dev.teeagent.verifier;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes CBOR with Jackson's generator (definite lengths where a size is given, minimal ints). */
public final class CborEncoding {
  private static final CBORFactory FACTORY = CBORFactory.builder().build();

  private CborEncoding() {}

  public interface Body {
    void write(CBORGenerator out) throws IOException;
  }

  public static byte[] encode(Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (CBORGenerator out = FACTORY.createGenerator(bytes)) {
      body.write(out);
    } catch (IOException e) {
      // Writing to memory does not fail; a generator error here is a programming error.
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static CBORFactory factory() {
    return FACTORY;
  }
}
