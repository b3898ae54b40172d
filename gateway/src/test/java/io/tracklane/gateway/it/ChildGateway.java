package io.tracklane.gateway.it;

import io.tracklane.gateway.Main;
import io.tracklane.gateway.config.GatewaySettings;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The gateway as a separate JVM (java -cp … Main), so a test can kill it with SIGKILL. */
final class ChildGateway implements AutoCloseable {
  private final Process process;
  final Path log;

  private ChildGateway(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ChildGateway start(Map<String, String> env) throws Exception {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile("child-gateway", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(javaBin, "-Xmx256m", "-cp", cp, Main.class.getName())
            .redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  Files.writeString(log, line + "\n", java.nio.file.StandardOpenOption.APPEND);
                  if (line.startsWith("TRACKLANE_GATEWAY_READY")) ready.complete(true);
                }
              } catch (Exception ignored) {
                // the process was killed
              }
              ready.complete(false);
            },
            "child-gateway-log");
    pump.setDaemon(true);
    pump.start();
    if (!ready.get(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("child gateway did not start:\n" + Files.readString(log));
    }
    return new ChildGateway(p, log);
  }

  /** SIGKILL: no shutdown hook, no drain, no goodbye. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
    }
  }

  static int freePort() throws Exception {
    try (var s = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static Map<String, String> envFor(GatewayHarness h, int mqttPort, int httpPort) {
    Map<String, String> env = new java.util.HashMap<>(h.settings());
    env.put(GatewaySettings.MQTT_PORT.env(), Integer.toString(mqttPort));
    env.put(GatewaySettings.HTTP_PORT.env(), Integer.toString(httpPort));
    env.put(GatewaySettings.DEV_TASKS.env(), "task-1=rider-1,task-2=rider-2");
    env.put("PATH", System.getenv().getOrDefault("PATH", "") + File.pathSeparator);
    return env;
  }
}
