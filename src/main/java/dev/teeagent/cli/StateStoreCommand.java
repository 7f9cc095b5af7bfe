package dev.teeagent.cli;

import dev.teeagent.hoststore.StateStoreServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code state-store}: on the parent instance, keeps the enclave's sealed blobs on disk. */
@Command(
    name = "state-store",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Runs on the EC2 host (not in the enclave): keeps the enclave agent's sealed identity and"
          + " state (opaque blobs) as files in --dir, for serve --state-url"
          + " http://192.168.127.254:PORT (gvproxy maps that address to this host's loopback)."
          + " A write is answered only once the file is fsynced and renamed into place."
    })
final class StateStoreCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", description = "Listen port (default: 7048; 0 picks a free one).")
  int port = 7048;

  @Option(
      names = "--host",
      description = "Listen address (default: 127.0.0.1, which gvproxy's NAT reaches).")
  String host = "127.0.0.1";

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Blob folder.")
  Path dir;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    if (port < 0 || port > 65535) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    try (StateStoreServer server = StateStoreServer.start(host, port, dir)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      err.println("state-store listening on " + server.endpoint() + " (blobs in " + dir + ")");
      err.flush();
      stopped.await();
    }
    return 0;
  }
}
