package dev.teeagent.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * A real Ethereum dev chain for tests: anvil from the npm package {@code @foundry-rs/anvil} (the
 * committed lockfile), on a free loopback port with a fixed chain id. {@link #close()} kills it and
 * anything it started; a JVM shutdown hook does the same if a test run dies first. The helpers talk
 * to anvil directly (web3j), never through the agent.
 */
public final class Anvil implements AutoCloseable {
  public static final long CHAIN_ID = 31337;

  /** anvil's first dev account (unlocked): deploys test contracts. */
  public static final String DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

  private static final Pattern LISTENING = Pattern.compile("Listening on ([0-9.]+):([0-9]+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Thread killer;
  private final String rpcUrl;
  private final HttpService service;
  private final Web3j web3j;

  private Anvil(Process process, Thread killer, String rpcUrl) {
    this.process = process;
    this.killer = killer;
    this.rpcUrl = rpcUrl;
    this.service = new HttpService(rpcUrl);
    this.web3j = Web3j.build(service);
  }

  /** anvil with the default (latest) hardfork: blocks carry a base fee. */
  public static Anvil start(String... extraArgs) {
    List<String> command = new ArrayList<>(List.of(binary().toString()));
    command.addAll(
        List.of("--host", "127.0.0.1", "--port", "0", "--chain-id", Long.toString(CHAIN_ID)));
    command.addAll(List.of(extraArgs));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("cannot start anvil: " + e.getMessage(), e);
    }
    Thread killer = new Thread(() -> kill(process), "anvil-killer");
    Runtime.getRuntime().addShutdownHook(killer);
    try {
      String url = awaitListening(process);
      return new Anvil(process, killer, url);
    } catch (RuntimeException | Error e) {
      kill(process);
      throw e;
    }
  }

  public String rpcUrl() {
    return rpcUrl;
  }

  public Web3j web3j() {
    return web3j;
  }

  /** anvil_setBalance: gives {@code address} exactly {@code wei}. */
  public void setBalance(String address, BigInteger wei) {
    call("anvil_setBalance", List.of(address, "0x" + wei.toString(16)));
  }

  public BigInteger balance(String address) {
    return send(web3j.ethGetBalance(address, DefaultBlockParameterName.LATEST)).getBalance();
  }

  /** Mined transactions from {@code address}. */
  public BigInteger transactionCount(String address) {
    return send(web3j.ethGetTransactionCount(address, DefaultBlockParameterName.LATEST))
        .getTransactionCount();
  }

  /** The receipt of a mined transaction, waiting up to 10 s for it. */
  public TransactionReceipt receipt(String transactionHash) {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < until) {
      var receipt = send(web3j.ethGetTransactionReceipt(transactionHash)).getTransactionReceipt();
      if (receipt.isPresent()) {
        return receipt.get();
      }
      sleep(50);
    }
    throw new AssertionError("no receipt for " + transactionHash);
  }

  /** Whether the chain knows the transaction at all (mined or in the pool). */
  public boolean knows(String transactionHash) {
    return send(web3j.ethGetTransactionByHash(transactionHash)).getTransaction().isPresent();
  }

  /** Deploys {@code bytecode} ‖ {@code constructorArguments} from {@link #DEPLOYER}. */
  public String deploy(String bytecode, String constructorArguments) {
    String data = bytecode.strip() + constructorArguments.replaceFirst("^0x", "");
    String hash =
        send(web3j.ethSendTransaction(
                Transaction.createContractTransaction(DEPLOYER, null, null, data)))
            .getTransactionHash();
    TransactionReceipt receipt = receipt(hash);
    if (!receipt.isStatusOK()) {
      throw new AssertionError("deployment failed: " + receipt);
    }
    return receipt.getContractAddress();
  }

  /** An ERC-20 {@code balanceOf(holder)} by eth_call. */
  public BigInteger tokenBalance(String token, String holder) {
    Function balanceOf =
        new Function(
            "balanceOf",
            List.of(new org.web3j.abi.datatypes.Address(holder)),
            List.of(new TypeReference<Uint256>() {}));
    String answer =
        send(web3j.ethCall(
                Transaction.createEthCallTransaction(
                    DEPLOYER, token, FunctionEncoder.encode(balanceOf)),
                DefaultBlockParameterName.LATEST))
            .getValue();
    @SuppressWarnings("rawtypes")
    List<Type> decoded = FunctionReturnDecoder.decode(answer, balanceOf.getOutputParameters());
    return (BigInteger) decoded.get(0).getValue();
  }

  /** Any JSON-RPC method (anvil_*, evm_*): fails on an error answer. */
  public Object call(String method, List<?> params) {
    Request<?, GenericResponse> request =
        new Request<>(method, params, service, GenericResponse.class);
    return send(request).getResult();
  }

  public static final class GenericResponse extends Response<Object> {}

  private static <T extends Response<?>> T send(Request<?, T> request) {
    try {
      T response = request.send();
      if (response.hasError()) {
        throw new AssertionError(
            request.getMethod() + " failed: " + response.getError().getMessage());
      }
      return response;
    } catch (IOException e) {
      throw new AssertionError(request.getMethod() + " failed: " + e, e);
    }
  }

  @Override
  public void close() {
    web3j.shutdown();
    kill(process);
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run: the process is being killed anyway
    }
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Reads anvil's output until it says where it listens, then keeps draining it. */
  private static String awaitListening(Process process) {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> url =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                String line;
                StringBuilder seen = new StringBuilder();
                while ((line = out.readLine()) != null) {
                  Matcher matcher = LISTENING.matcher(line);
                  if (matcher.find()) {
                    return "http://" + matcher.group(1) + ":" + matcher.group(2);
                  }
                  seen.append(line).append('\n');
                }
                throw new AssertionError("anvil exited before listening:\n" + seen);
              } catch (IOException e) {
                throw new AssertionError("cannot read anvil's output", e);
              }
            });
    String listening;
    try {
      listening = url.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("anvil did not listen within " + START_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // anvil logs every call; drained so that it never blocks on a full pipe
                }
              } catch (IOException closed) {
                // the process ended
              }
            },
            "anvil-output");
    drain.setDaemon(true);
    drain.start();
    return listening;
  }

  /** The native anvil of this platform from node_modules (no node wrapper to outlive). */
  private static Path binary() {
    Path modules = NodeScript.projectDir().resolve("node_modules");
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String platform =
        (os.contains("mac") ? "darwin" : os.contains("win") ? "win32" : "linux")
            + "-"
            + (arch.contains("aarch64") || arch.contains("arm64") ? "arm64" : "amd64");
    Path nativeBinary = modules.resolve("@foundry-rs/anvil-" + platform + "/bin/anvil");
    if (Files.isExecutable(nativeBinary)) {
      return nativeBinary;
    }
    Path wrapper = modules.resolve(".bin/anvil");
    if (Files.exists(wrapper)) {
      return wrapper;
    }
    throw new AssertionError("anvil missing: run `npm ci` (make test does)");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
