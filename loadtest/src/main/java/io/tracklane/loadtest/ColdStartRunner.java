package io.tracklane.loadtest;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Launches {@link ColdStartProbe} in fresh JVMs (this JVM's {@code java} and classpath) with a
 * handler's environment, and collects the probe's JSON line.
 */
final class ColdStartRunner {
  private static final long PROBE_TIMEOUT_SECONDS = 180;

  /**
   * One probe run: the probe's own numbers plus the wall time from spawning the process to reading
   * its result line (process creation and JVM boot before its recorded start time included).
   */
  record Run(
      String handler,
      double jvmStartToMainMs,
      double initMs,
      double firstInvokeMs,
      double totalMs,
      double secondInvokeMs,
      double cpuToDoneMs,
      double spawnToResultMs) {
    double initPlusFirstMs() {
      return initMs + firstInvokeMs;
    }
  }

  private final String java;
  private final String classpath;
  private final List<String> jvmArgs;
  private final Map<String, String> env;

  /**
   * @param env set on top of this process's environment, from which every other {@code TRACKLANE_*}
   *     variable is removed
   * @param jvmArgs extra options for the probe JVMs (e.g. {@code -XX:TieredStopAtLevel=1})
   */
  ColdStartRunner(Map<String, String> env, List<String> jvmArgs) {
    this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.classpath = classpath();
    this.jvmArgs = List.copyOf(jvmArgs);
    this.env = Map.copyOf(env);
  }

  List<String> jvmArgs() {
    return jvmArgs;
  }

  /** One fresh JVM running the probe for {@code handlerClass}. */
  Run run(String handlerClass) throws IOException, InterruptedException {
    Path err = Files.createTempFile("cold-start-", ".err");
    try {
      List<String> command = new ArrayList<>();
      command.add(java);
      command.addAll(jvmArgs);
      command.add("-cp");
      command.add(classpath);
      command.add(ColdStartProbe.class.getName());
      command.add(handlerClass);
      ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("TRACKLANE_"));
      pb.environment().putAll(env);
      long spawned = System.nanoTime();
      Process process = pb.start();
      // Read stdout as it comes: the JVM's exit can lag the result (it waits for JIT compilations
      // in flight), which is no part of a Lambda cold start.
      AtomicReference<String> line = new AtomicReference<>();
      AtomicLong lineAt = new AtomicLong();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l = r.readLine(); l != null; l = r.readLine()) {
                    if (l.startsWith(ColdStartProbe.PREFIX) && line.get() == null) {
                      lineAt.set(System.nanoTime());
                      line.set(l);
                    }
                  }
                } catch (IOException e) {
                  // the process went away; judged by its exit code below
                }
              },
              "cold-start-probe-stdout");
      reader.setDaemon(true);
      reader.start();
      boolean exited = process.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(
            "probe of "
                + handlerClass
                + " did not exit within "
                + PROBE_TIMEOUT_SECONDS
                + " s; stderr: "
                + tail(err));
      }
      reader.join(TimeUnit.SECONDS.toMillis(10));
      if (process.exitValue() != 0 || line.get() == null) {
        throw new IllegalStateException(
            "probe of "
                + handlerClass
                + " exited "
                + process.exitValue()
                + "; stderr: "
                + tail(err));
      }
      JsonObject j = new JsonObject(line.get());
      return new Run(
          j.getString("handler"),
          j.getDouble("jvmStartToMainMs"),
          j.getDouble("initMs"),
          j.getDouble("firstInvokeMs"),
          j.getDouble("totalMs"),
          j.getDouble("secondInvokeMs"),
          j.getDouble("cpuToDoneMs"),
          (lineAt.get() - spawned) / 1_000_000.0);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** The median of {@code values} (mean of the middle two for an even count). */
  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static String tail(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /**
   * This JVM's application classpath. Under {@code mvn exec:java} the project's classes and
   * dependencies are in the plugin's URLClassLoader, not in {@code java.class.path} (which then
   * names Maven's launcher), so the URL class loaders between this class and the system loader come
   * first; {@code java.class.path} only when there are none ({@code java -cp ...}).
   */
  static String classpath() {
    Set<String> entries = new LinkedHashSet<>();
    for (ClassLoader cl = ColdStartRunner.class.getClassLoader(); cl != null; cl = cl.getParent()) {
      if (!(cl instanceof URLClassLoader u)) continue;
      for (URL url : u.getURLs()) {
        if (!"file".equals(url.getProtocol())) continue;
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException e) {
          throw new IllegalStateException("classpath entry " + url, e);
        }
      }
    }
    return entries.isEmpty()
        ? System.getProperty("java.class.path")
        : String.join(File.pathSeparator, entries);
  }
}
