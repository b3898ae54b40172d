package io.tracklane.loadtest;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A {@link FleetDriverMain} in its own JVM, started and read back by the multi-instance run. */
final class FleetDriverProcess implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final CompletableFuture<Double> connected = new CompletableFuture<>();
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  private FleetDriverProcess(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  /**
   * @param props the driver's {@code driver.*} settings (without the prefix)
   */
  static FleetDriverProcess start(Path dir, List<String> jvmArgs, Map<String, String> props)
      throws IOException {
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    props.forEach((k, v) -> cmd.add("-Ddriver." + k + "=" + v));
    cmd.add("-Ddriver.out=" + dir);
    cmd.add("-cp");
    cmd.add(GatewayProcess.classpath());
    cmd.add(FleetDriverMain.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    FleetDriverProcess d = new FleetDriverProcess(p, dir);
    Path log = dir.resolve("driver.log");
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
                  if (line.startsWith("DRIVER_CONNECTED"))
                    d.connected.complete(Double.parseDouble(line.split(" ")[1]));
                  if (line.startsWith("DRIVER_DONE")) d.done.complete(null);
                }
              } catch (IOException e) {
                d.connected.completeExceptionally(e);
              }
              IllegalStateException gone =
                  new IllegalStateException("driver exited early; see " + log);
              d.connected.completeExceptionally(gone);
              d.done.completeExceptionally(gone);
            },
            "driver-output-" + dir.getFileName());
    pump.setDaemon(true);
    pump.start();
    return d;
  }

  /** Seconds the driver took to connect its riders. */
  double awaitConnected(Duration timeout) throws Exception {
    return connected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  void go() throws IOException {
    OutputStream in = process.getOutputStream();
    in.write("GO\n".getBytes(StandardCharsets.US_ASCII));
    in.flush();
  }

  void awaitDone(Duration timeout) throws Exception {
    done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  long pid() {
    return process.pid();
  }

  JsonObject result() throws IOException {
    return new JsonObject(Files.readString(dir.resolve("result.json")));
  }

  List<MqttFleet.AckedFixes> ackedFixes() throws IOException {
    try (var lines = Files.lines(dir.resolve("acked.txt"))) {
      return lines
          .filter(l -> !l.isBlank())
          .map(AckedFixesLine::parse)
          .collect(Collectors.toList());
    }
  }

  @Override
  public void close() throws Exception {
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
  }
}
