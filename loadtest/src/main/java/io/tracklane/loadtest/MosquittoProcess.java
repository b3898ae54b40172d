package io.tracklane.loadtest;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Mosquitto (Debian's {@code mosquitto}) on a loopback port: the reference MQTT broker the same
 * fleet drives at QoS 1, to compare the gateway's protocol layer against.
 */
public final class MosquittoProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private MosquittoProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static boolean installed() {
    return Files.isExecutable(Path.of("/usr/sbin/mosquitto"));
  }

  public static MosquittoProcess start(int port, Path dir) throws Exception {
    Files.createDirectories(dir);
    Path conf = dir.resolve("mosquitto.conf");
    // anonymous on loopback only; no persistence; unlimited in-flight and queue so it never
    // throttles the driver
    Files.writeString(
        conf,
        String.join(
            "\n",
            "listener " + port + " 127.0.0.1",
            "allow_anonymous true",
            "persistence false",
            "max_inflight_messages 0",
            "max_queued_messages 0",
            "max_connections -1",
            "log_type error",
            "log_type warning",
            "log_dest stderr",
            ""));
    Process p =
        new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new MosquittoProcess(p, port);
      } catch (Exception notYet) {
        if (!p.isAlive())
          throw new IllegalStateException("mosquitto exited: see " + dir.resolve("mosquitto.log"));
        Thread.sleep(100);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("mosquitto did not listen on " + port);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
  }
}
