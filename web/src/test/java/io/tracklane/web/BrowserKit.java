package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What every browser test of the pages shares: Debian's Chromium driven by playwright-core from a
 * Node.js script in {@code src/test/js} (installed by {@link #installDriver()} when missing), the
 * script's stdout read line by line, and its log on failure.
 *
 * <p>Outside CI a browser test is skipped when Chromium or Node.js is missing ({@link
 * #assumeBrowser()}); under {@code CI=true} it always runs.
 */
final class BrowserKit {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path JS_DIR = Path.of("src/test/js").toAbsolutePath();
  static final Path TARGET = Path.of("target").toAbsolutePath();

  private BrowserKit() {}

  /** Skips the test (outside CI) when there is no browser or no Node.js to drive it. */
  static void assumeBrowser() {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean driverReady =
        Files.isDirectory(JS_DIR.resolve("node_modules/playwright-core")) || onPath("npm");
    assumeTrue(
        ci || (Files.isExecutable(CHROMIUM) && onPath("node") && driverReady),
        "needs /usr/bin/chromium (apt-get install chromium) and Node.js; under CI=true it always runs");
  }

  /** npm install in src/test/js when node_modules is missing (CI installs it beforehand). */
  static void installDriver() throws Exception {
    if (Files.isDirectory(JS_DIR.resolve("node_modules/playwright-core"))) return;
    Files.createDirectories(TARGET);
    Path log = TARGET.resolve("npm-install.log");
    Process npm =
        new ProcessBuilder("npm", "install", "--no-audit", "--no-fund")
            .directory(JS_DIR.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!npm.waitFor(5, TimeUnit.MINUTES)) {
      npm.destroyForcibly();
      fail("npm install did not finish within 5 minutes (" + log + ")");
    }
    assertEquals(0, npm.exitValue(), "npm install failed: " + Files.readString(log));
  }

  /** A running browser script: its stdout lines, its stderr in a log file. */
  static final class Script implements AutoCloseable {
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final Path log;
    final Duration step;

    private Script(Process process, Path log, Duration step) {
      this.process = process;
      this.log = log;
      this.step = step;
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    System.out.println("[browser] " + line);
                    lines.add(line);
                  }
                } catch (IOException ignored) {
                  // the process ended
                }
              },
              "browser-stdout");
      t.setDaemon(true);
      t.start();
    }

    /**
     * Starts {@code node <script>} in src/test/js with the environment (plus CHROMIUM and
     * STEP_TIMEOUT_MS).
     */
    static Script start(String script, Path log, Duration step, Map<String, String> env)
        throws Exception {
      installDriver();
      Files.createDirectories(log.getParent());
      ProcessBuilder pb =
          new ProcessBuilder("node", script).directory(JS_DIR.toFile()).redirectError(log.toFile());
      pb.environment().putAll(env);
      pb.environment().put("CHROMIUM", CHROMIUM.toString());
      pb.environment().put("STEP_TIMEOUT_MS", Long.toString(step.toMillis()));
      return new Script(pb.start(), log, step);
    }

    /** Waits (bounded) for the script to print a line starting with {@code marker}. */
    String await(String marker) throws Exception {
      long deadline = System.nanoTime() + 2 * step.toNanos();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(200, TimeUnit.MILLISECONDS);
        if (line != null && line.startsWith(marker)) return line;
        if (line == null && !process.isAlive() && lines.isEmpty()) {
          fail(
              "the browser script ended (exit "
                  + process.exitValue()
                  + ") before "
                  + marker
                  + "; its log:\n"
                  + log());
        }
      }
      fail(
          "no "
              + marker
              + " from the browser script within "
              + 2 * step.toSeconds()
              + " s; its log:\n"
              + log());
      return null;
    }

    /** Waits for the script to end and checks it passed. */
    void assertPassed() throws Exception {
      boolean ended = process.waitFor(3 * step.toSeconds(), TimeUnit.SECONDS);
      if (!ended) process.destroyForcibly();
      assertEquals(
          0, ended ? process.exitValue() : -1, "the browser script passes; its log:\n" + log());
    }

    String log() {
      try {
        String text = Files.readString(log);
        return text.length() > 8000 ? text.substring(text.length() - 8000) : text;
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }

    @Override
    public void close() throws Exception {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
      }
    }
  }

  static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
    }
    return false;
  }
}
