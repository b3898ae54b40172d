package io.tracklane.devkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs <a href="https://github.com/architect/dynalite">dynalite</a> (a DynamoDB-compatible server
 * on Node.js) as a child process, so tests and local runs need neither AWS nor Docker.
 *
 * <p>Tables become ACTIVE immediately ({@code --createTableMs 0} etc.). Without a data dir the
 * store is in memory and is lost on {@link #stop()}/{@link #restart()}; with one it is LevelDB on
 * disk and survives restarts (even a forced kill, as LevelDB's log is written before each reply).
 *
 * <p>dynalite checks that requests carry an {@code Authorization: AWS4-...} header with
 * Credential/SignedHeaders/Signature and an {@code X-Amz-Date} (or {@code Date}) header, but never
 * verifies the signature: any dummy credentials work with the AWS SDK.
 */
public final class Dynalite implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Dynalite.class);

  /** Environment variable that overrides the install dir of the npm package. */
  public static final String DIR_ENV = "TRACKLANE_DYNALITE_DIR";

  private static final String PACKAGE = "dynalite@4";
  private static final String HOST = "127.0.0.1";
  private static final long START_TIMEOUT_MS = 30_000;
  private static final long STOP_TIMEOUT_MS = 15_000;
  private static final long NPM_TIMEOUT_MS = 10 * 60_000;
  private static final int MIN_NODE_MAJOR = 20;

  /** FileChannel.lock is per process; this serialises threads of the same JVM around it. */
  private static final Object INSTALL_LOCK = new Object();

  private static final Object SHARED_LOCK = new Object();
  private static Dynalite shared;

  private final Path cliJs;
  private final Path dataDir;
  private int port;

  /** Volatile because the shutdown hook reads it without the monitor. */
  private volatile Process process;

  private Path logFile;
  private Thread shutdownHook;

  private Dynalite(Path cliJs, int port, Path dataDir) {
    this.cliJs = cliJs;
    this.port = port;
    this.dataDir = dataDir;
  }

  // ---------------------------------------------------------------------------------------------
  // Installation
  // ---------------------------------------------------------------------------------------------

  /**
   * Installs {@code dynalite@4} from npm into the cache dir ({@value #DIR_ENV} or {@code
   * ~/.cache/tracklane/dynalite4}) unless already there, and returns the path of its {@code
   * cli.js}. Safe to call concurrently from several threads and JVMs.
   */
  public static Path ensureInstalled() {
    Path dir = installDir();
    Path cli = cliJsIn(dir);
    if (Files.isRegularFile(cli)) {
      return cli;
    }
    synchronized (INSTALL_LOCK) {
      try {
        Files.createDirectories(dir);
        Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
        try (FileChannel channel =
                FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock ignored = channel.lock()) {
          // Another JVM may have finished the install while we waited for the lock.
          if (Files.isRegularFile(cli)) {
            return cli;
          }
          checkNode();
          npmInstall(dir);
          if (!Files.isRegularFile(cli)) {
            throw new IllegalStateException(
                "npm install of " + PACKAGE + " finished but " + cli + " does not exist");
          }
          return cli;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot install " + PACKAGE + " into " + dir, e);
      }
    }
  }

  private static Path installDir() {
    String env = System.getenv(DIR_ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath();
    }
    return Path.of(System.getProperty("user.home"), ".cache", "tracklane", "dynalite4");
  }

  private static Path cliJsIn(Path dir) {
    return dir.resolve("node_modules").resolve("dynalite").resolve("cli.js");
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
  }

  /** Fails early with a readable message instead of an obscure IOException from ProcessBuilder. */
  private static void checkNode() {
    String version;
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Node.js is required to run dynalite (a local DynamoDB) but 'node' was not found on the"
              + " PATH. Install Node.js >= "
              + MIN_NODE_MAJOR
              + " with npm.",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking the Node.js version", e);
    }
    int major = parseNodeMajor(version);
    if (major >= 0 && major < MIN_NODE_MAJOR) {
      throw new IllegalStateException(
          "dynalite 4 needs Node.js >= "
              + MIN_NODE_MAJOR
              + " but 'node --version' says "
              + version);
    }
  }

  private static int parseNodeMajor(String version) {
    String v = version.startsWith("v") ? version.substring(1) : version;
    int dot = v.indexOf('.');
    try {
      return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void npmInstall(Path dir) throws IOException {
    String npm = isWindows() ? "npm.cmd" : "npm";
    List<String> cmd =
        List.of(npm, "install", "--no-audit", "--no-fund", "--prefix", dir.toString(), PACKAGE);
    Path log = Files.createTempFile("tracklane-npm-dynalite-", ".log");
    LOG.info("Installing {} into {} (log: {})", PACKAGE, dir, log);
    Process p;
    try {
      p =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "'npm' was not found on the PATH; it is needed once to install "
              + PACKAGE
              + " (a local DynamoDB). Install Node.js >= "
              + MIN_NODE_MAJOR
              + " with npm.",
          e);
    }
    try {
      if (!p.waitFor(NPM_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "npm install " + PACKAGE + " timed out; output:\n" + tail(log));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while installing " + PACKAGE, e);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "npm install "
              + PACKAGE
              + " failed with exit code "
              + p.exitValue()
              + "; output:\n"
              + tail(log));
    }
    Files.deleteIfExists(log);
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle
  // ---------------------------------------------------------------------------------------------

  /** Starts an in-memory dynalite on a free port. */
  public static Dynalite start() {
    return start(0, null);
  }

  /**
   * Starts dynalite on {@code port} (0 = a free port), persisting to {@code dataDirOrNull} when
   * given. Returns once it answers HTTP, or throws with its output after 30 s.
   */
  public static Dynalite start(int port, Path dataDirOrNull) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    Path cli = ensureInstalled();
    Path dataDir = dataDirOrNull == null ? null : dataDirOrNull.toAbsolutePath();
    Dynalite d = new Dynalite(cli, port, dataDir);
    synchronized (d) {
      d.launch(port == 0);
    }
    return d;
  }

  /**
   * One lazily started in-memory instance per JVM, shared by tests. Tables live as long as the JVM,
   * so tests should use unique table names. Restarted if someone stopped it.
   */
  public static Dynalite shared() {
    synchronized (SHARED_LOCK) {
      if (shared == null) {
        shared = start();
      } else if (!shared.isRunning()) {
        shared.restart();
      }
      return shared;
    }
  }

  public synchronized int port() {
    return port;
  }

  public synchronized String endpoint() {
    return "http://" + HOST + ":" + port;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Path of the file receiving the child's stdout and stderr. */
  public synchronized Path logFile() {
    return logFile;
  }

  /** Kills the process (forcibly), waits for it to exit and for its port to be free again. */
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    process = null;
    p.destroyForcibly();
    try {
      if (!p.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("dynalite (pid " + p.pid() + ") did not exit");
      }
      long deadline = System.currentTimeMillis() + STOP_TIMEOUT_MS;
      while (!isPortFree(port)) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("port " + port + " still busy after dynalite exited");
        }
        pause(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping dynalite", e);
    }
    LOG.info("dynalite on port {} stopped", port);
  }

  /**
   * Stops (if running) and starts again on the same port and data dir. In-memory data is lost;
   * on-disk data survives.
   */
  public synchronized void restart() {
    stop();
    launch(false);
  }

  /** Stops the process and removes its shutdown hook and log file. */
  @Override
  public synchronized void close() {
    stop();
    deleteLog();
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // The hook is running or about to; nothing to undo.
      }
      shutdownHook = null;
    }
  }

  @Override
  public String toString() {
    return "Dynalite[" + endpoint() + (dataDir == null ? ", in-memory" : ", " + dataDir) + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Internals
  // ---------------------------------------------------------------------------------------------

  /**
   * Starts the process and waits until it serves HTTP. With {@code pickPort}, a free port is
   * chosen; since another process may grab it before node binds, a lost race is retried.
   */
  private void launch(boolean pickPort) {
    int attempts = pickPort ? 3 : 1;
    for (int attempt = 1; ; attempt++) {
      if (pickPort) {
        port = freePort();
      } else if (!isPortFree(port)) {
        // Otherwise the readiness probe could succeed against whatever holds the port.
        throw new IllegalStateException("Cannot start dynalite: port " + port + " is in use");
      }
      try {
        spawnAndAwait();
        return;
      } catch (PortLostException e) {
        if (attempt >= attempts) {
          throw new IllegalStateException(e.getMessage());
        }
        LOG.debug("Port {} was taken before dynalite could bind it; retrying", port);
      }
    }
  }

  private void spawnAndAwait() {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "node",
                cliJs.toString(),
                "--host",
                HOST,
                "--port",
                Integer.toString(port),
                "--createTableMs",
                "0",
                "--deleteTableMs",
                "0",
                "--updateTableMs",
                "0"));
    try {
      if (dataDir != null) {
        Files.createDirectories(dataDir);
        cmd.add("--path");
        cmd.add(dataDir.toString());
      }
      // A file, not a pipe: nobody drains a pipe, and a full pipe would block the child.
      deleteLog(); // the previous run's, on restart
      logFile = Files.createTempFile("dynalite-" + port + "-", ".log");
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
    } catch (IOException e) {
      process = null;
      throw new IllegalStateException(
          "Cannot launch dynalite ("
              + String.join(" ", cmd)
              + "). Is Node.js >= "
              + MIN_NODE_MAJOR
              + " on the PATH?",
          e);
    }
    ensureShutdownHook();
    Process p = process;
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    try {
      while (true) {
        if (!p.isAlive()) {
          process = null;
          String out = tail(logFile);
          if (out.contains("EADDRINUSE")) {
            throw new PortLostException("dynalite could not bind port " + port + ":\n" + out);
          }
          throw new IllegalStateException(
              "dynalite exited with code "
                  + p.exitValue()
                  + " before becoming ready. If its install is broken, delete "
                  + installDir()
                  + ". Output ("
                  + logFile
                  + "):\n"
                  + out);
        }
        if (answersHttp(port)) {
          LOG.info(
              "dynalite ready at {} ({}, pid {}, log {})",
              endpoint(),
              dataDir == null ? "in-memory" : dataDir,
              p.pid(),
              logFile);
          return;
        }
        if (System.currentTimeMillis() > deadline) {
          p.destroyForcibly();
          process = null;
          throw new IllegalStateException(
              "dynalite did not answer on port "
                  + port
                  + " within "
                  + START_TIMEOUT_MS / 1000
                  + " s. Output ("
                  + logFile
                  + "):\n"
                  + tail(logFile));
        }
        // Doubles as the poll interval and returns early if the process dies.
        p.waitFor(50, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      process = null;
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting dynalite", e);
    }
  }

  private void ensureShutdownHook() {
    if (shutdownHook == null) {
      // Reads the field at exit time, so one hook covers every restart of this instance.
      shutdownHook =
          new Thread(
              () -> {
                Process p = process;
                if (p != null) {
                  p.destroyForcibly();
                }
              },
              "dynalite-shutdown-" + port);
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /**
   * True once the server accepts a TCP connection and answers a minimal POST with any HTTP status
   * line (dynalite replies 400 "missing authentication token", which is fine).
   */
  private static boolean answersHttp(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), 500);
      s.setSoTimeout(2_000);
      String request =
          "POST / HTTP/1.1\r\n"
              + "Host: "
              + HOST
              + ":"
              + port
              + "\r\n"
              + "X-Amz-Target: DynamoDB_20120810.ListTables\r\n"
              + "Content-Type: application/x-amz-json-1.0\r\n"
              + "Content-Length: 2\r\n"
              + "Connection: close\r\n\r\n{}";
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] head = in.readNBytes(8);
      return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.");
    } catch (IOException e) {
      return false;
    }
  }

  private void deleteLog() {
    if (logFile != null) {
      try {
        Files.deleteIfExists(logFile);
      } catch (IOException e) {
        LOG.debug("Cannot delete {}", logFile, e);
      }
      logFile = null;
    }
  }

  private static boolean isPortFree(int port) {
    try (ServerSocket ss = new ServerSocket()) {
      // Same option node/libuv uses, so TIME_WAIT leftovers do not count as busy.
      ss.setReuseAddress(true);
      ss.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return ss.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port", e);
    }
  }

  private static void pause(long millis) throws InterruptedException {
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
  }

  private static String tail(Path file) {
    if (file == null) {
      return "";
    }
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      return s.length() <= 8_000 ? s : "..." + s.substring(s.length() - 8_000);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /** The chosen free port was taken by someone else between choosing and binding. */
  private static final class PortLostException extends RuntimeException {
    PortLostException(String message) {
      super(Objects.requireNonNull(message));
    }
  }
}
