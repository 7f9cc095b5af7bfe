package dev.teeagent.identity;

import dev.teeagent.custody.CustodyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file so that a crash at any moment leaves either the old or the new bytes, never a
 * mix: write a temporary file beside it, fsync it, rename it over the old one, fsync the folder.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path file, byte[] bytes) throws CustodyException {
    Path folder = file.toAbsolutePath().getParent();
    Path temporary = folder.resolve("." + file.getFileName() + ".tmp");
    try {
      try (FileChannel out =
          FileChannel.open(
              temporary,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException e) {
      throw new CustodyException(
          "cannot store " + file + " (the state folder must be writable)", e);
    }
  }
}
