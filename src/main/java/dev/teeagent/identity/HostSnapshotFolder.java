package dev.teeagent.identity;

import dev.teeagent.custody.CustodyException;
import dev.teeagent.outbound.OutboundHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * {@code --state-url URL}: the host's state store ({@code tee-agent state-store}) over the host
 * link, for an enclave, which has no disk of its own. {@code GET URL/v1/blobs/NAME} answers 200
 * with the bytes or 404; {@code PUT} answers 204 only after the store has fsynced and renamed the
 * file, which is the acknowledgement the agent waits for before it answers a change. Plain HTTP:
 * every blob is sealed or KMS ciphertext, and the host sees them at rest anyway.
 */
public final class HostSnapshotFolder implements SnapshotFolder {
  /** The largest blob read back (the sealed state grows with the audit log). */
  public static final long MAX_BLOB_BYTES = 64L * 1024 * 1024;

  private static final MediaType OCTETS = MediaType.get("application/octet-stream");
  private final URI base;
  private final OkHttpClient client;

  public HostSnapshotFolder(URI base, Duration timeout) {
    this.base = base;
    this.client =
        OutboundHttp.client(timeout, timeout, timeout).retryOnConnectionFailure(false).build();
  }

  @Override
  public Optional<byte[]> read(String name) throws CustodyException {
    Request request = new Request.Builder().url(url(name)).get().build();
    try (Response response = client.newCall(request).execute()) {
      if (response.code() == 404) {
        return Optional.empty();
      }
      if (response.code() != 200) {
        throw new CustodyException(
            "the state store at "
                + base
                + " answered HTTP "
                + response.code()
                + " to reading "
                + name);
      }
      return Optional.of(bounded(response.body(), name));
    } catch (IOException e) {
      throw new CustodyException(
          "the state store at " + base + " cannot be reached to read " + name, e);
    }
  }

  @Override
  public void write(String name, byte[] bytes) throws CustodyException {
    Request request =
        new Request.Builder().url(url(name)).put(RequestBody.create(bytes, OCTETS)).build();
    try (Response response = client.newCall(request).execute()) {
      if (response.code() != 204) {
        throw new CustodyException(
            "the state store at "
                + base
                + " did not acknowledge "
                + name
                + " (HTTP "
                + response.code()
                + ")");
      }
    } catch (IOException e) {
      throw new CustodyException(
          "the state store at " + base + " cannot be reached to store " + name, e);
    }
  }

  @Override
  public String flag() {
    return "--state-url";
  }

  @Override
  public String place() {
    return base.toString();
  }

  private String url(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a blob name");
    }
    String root = base.toString();
    return (root.endsWith("/") ? root : root + "/") + "v1/blobs/" + name;
  }

  private byte[] bounded(ResponseBody body, String name) throws IOException, CustodyException {
    try (InputStream in = body.byteStream()) {
      byte[] bytes = in.readNBytes((int) MAX_BLOB_BYTES + 1);
      if (bytes.length > MAX_BLOB_BYTES) {
        throw new CustodyException(
            "the state store at "
                + base
                + " answered more than "
                + MAX_BLOB_BYTES
                + " bytes for "
                + name);
      }
      return bytes;
    }
  }
}
