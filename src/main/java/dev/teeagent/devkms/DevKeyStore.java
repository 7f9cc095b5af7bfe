package dev.teeagent.devkms;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The stand-in's keys, one JSON file each under {@code DIR/keys}, written atomically (temporary
 * file, then rename) so that a killed dev-kms leaves every key whole. Plain files: this is why
 * dev-kms is a development tool only.
 */
final class DevKeyStore {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private final Path dir;
  private final Map<String, DevKey> keys = new HashMap<>();

  DevKeyStore(Path dataDir) {
    this.dir = dataDir.resolve("keys");
    try {
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
          DevKey key = JSON.readValue(file.toFile(), DevKey.class);
          keys.put(key.keyId(), key);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the keys in " + dir, e);
    }
  }

  /** The key named by id or ARN. */
  synchronized Optional<DevKey> find(String idOrArn) {
    if (idOrArn == null) {
      return Optional.empty();
    }
    String id =
        idOrArn.startsWith("arn:") ? idOrArn.substring(idOrArn.lastIndexOf('/') + 1) : idOrArn;
    return Optional.ofNullable(keys.get(id));
  }

  synchronized void put(DevKey key) throws IOException {
    Path file = dir.resolve(key.keyId() + ".json");
    Path temporary = dir.resolve(key.keyId() + ".json.tmp");
    Files.write(temporary, JSON.writeValueAsBytes(key));
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    keys.put(key.keyId(), key);
  }
}
