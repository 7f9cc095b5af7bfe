package dev.teeagent.identity;

import dev.teeagent.custody.CustodyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** {@code --state-dir DIR}: each blob a file in DIR, replaced atomically ({@link AtomicFiles}). */
public record LocalSnapshotFolder(Path dir) implements SnapshotFolder {
  @Override
  public Optional<byte[]> read(String name) throws CustodyException {
    try {
      return Optional.of(Files.readAllBytes(dir.resolve(name)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CustodyException("cannot read " + dir.resolve(name), e);
    }
  }

  @Override
  public void write(String name, byte[] bytes) throws CustodyException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new CustodyException("the state folder " + dir + " cannot be made", e);
    }
    AtomicFiles.write(dir.resolve(name), bytes);
  }

  @Override
  public String flag() {
    return "--state-dir";
  }

  @Override
  public String place() {
    return dir.toString();
  }
}
