package io.tracklane.loadtest;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gateway in its own JVM, started the way production starts it ({@code
 * io.tracklane.gateway.Main} from environment variables), so its CPU time, resident memory and heap
 * are its own and can be read from {@code /proc} and its {@code /metrics}.
 */
public final class GatewayProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /** Linux USER_HZ: /proc/<pid>/stat times are in these ticks. */
  private static final double TICKS_PER_SECOND = 100;

  private final Process process;
  private final Path log;
  private final int mqttPort;
  private final int httpPort;
  private final int adminPort;

  private GatewayProcess(Process process, Path log, int mqttPort, int httpPort, int adminPort) {
    this.adminPort = adminPort;
    this.process = process;
    this.log = log;
    this.mqttPort = mqttPort;
    this.httpPort = httpPort;
  }

  /**
   * Starts {@code Main} with {@code env} and {@code jvmArgs}; returns once it printed its ports.
   */
  public static GatewayProcess start(Map<String, String> env, List<String> jvmArgs, Path log)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add("io.tracklane.gateway.Main");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Files.createDirectories(log.getParent());
    Process p = pb.start();
    CompletableFuture<int[]> ready = new CompletableFuture<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                  out.write(line);
                  out.newLine();
                  out.flush();
                  if (line.startsWith("TRACKLANE_GATEWAY_READY")) {
                    int mqtt = Integer.parseInt(line.replaceAll(".*mqtt=(\\d+).*", "$1"));
                    int http = Integer.parseInt(line.replaceAll(".*http=(\\d+).*", "$1"));
                    int admin = Integer.parseInt(line.replaceAll(".*admin=(\\d+).*", "$1"));
                    ready.complete(new int[] {mqtt, http, admin});
                  }
                }
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
              ready.completeExceptionally(
                  new IllegalStateException("gateway exited before it was ready; see " + log));
            },
            "gateway-output");
    pump.setDaemon(true);
    pump.start();
    try {
      int[] ports = ready.get(90, TimeUnit.SECONDS);
      return new GatewayProcess(p, log, ports[0], ports[1], ports[2]);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "gateway did not start: " + e.getMessage() + "; log " + log, e);
    }
  }

  /**
   * This JVM's classpath, also under {@code exec:java} (whose classes come from a URLClassLoader).
   */
  static String classpath() {
    if (Thread.currentThread().getContextClassLoader() instanceof URLClassLoader u
        && u.getURLs().length > 1) {
      List<String> parts = new ArrayList<>();
      for (URL url : u.getURLs()) {
        try {
          parts.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException e) {
          throw new IllegalStateException(e);
        }
      }
      return String.join(File.pathSeparator, parts);
    }
    return System.getProperty("java.class.path");
  }

  public int mqttPort() {
    return mqttPort;
  }

  public int httpPort() {
    return httpPort;
  }

  /** Health checks and metrics. */
  public int adminPort() {
    return adminPort;
  }

  public long pid() {
    return process.pid();
  }

  /** User + system CPU seconds the process used so far. */
  public double cpuSeconds() throws IOException {
    return cpuSecondsOf(process.pid());
  }

  /** User + system CPU seconds process {@code pid} used so far (Linux /proc). */
  public static double cpuSecondsOf(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // fields after the parenthesised command name; utime and stime are fields 14 and 15
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
  }

  /** Resident set size now and its peak (VmRSS, VmHWM), in bytes. */
  public long[] residentBytes() throws IOException {
    long rss = 0;
    long hwm = 0;
    for (String line :
        Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) rss = kib(line) * 1024;
      if (line.startsWith("VmHWM:")) hwm = kib(line) * 1024;
    }
    return new long[] {rss, hwm};
  }

  /** The gateway's Prometheus text (admin port). */
  public String metrics() throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Heap in use (all heap pools) from the gateway's own /metrics, in bytes. */
  public long heapUsedBytes() throws Exception {
    String metrics = metrics();
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (long) sum;
  }

  private static long kib(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  /** SIGKILL, as a crashed host or an OOM kill would end it: no draining, no goodbye. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM (the gateway drains), then waits; forcibly after 60 s. */
  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS))
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }
}
