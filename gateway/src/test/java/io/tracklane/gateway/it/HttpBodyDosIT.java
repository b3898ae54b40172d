package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.mqtt.FixTopics;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cheap denial of service over HTTP ingest: a body is refused from its headers, never read, never
 * inflated, and the connection is dropped; meanwhile another rider's MQTT fixes are acknowledged as
 * usual. Plain sockets play the attacker (real clients would not misbehave on purpose).
 */
class HttpBodyDosIT {
  private static final int MAX_BODY = 262_144; // the default TRACKLANE_MAX_MESSAGE_BYTES
  private static GatewayHarness h;
  private static MqttAsyncClient neighbour;

  @BeforeAll
  static void start() throws Exception {
    h = GatewayHarness.start(false, Map.of());
    neighbour =
        MqttClients.paho5(
            h.mqttUri(), "dos-neighbour", "rider-2", GatewayHarness.riderToken("rider-2"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (neighbour != null)
      MqttClients.closeQuietly(
          () -> {
            neighbour.disconnect().waitForCompletion(5000);
            neighbour.close();
          });
    if (h != null) h.close();
  }

  @Test
  void gzipBombIsRefusedFromItsHeadersAndNeverInflated() throws Exception {
    byte[] bomb = gzip(new byte[10 * 1024 * 1024]);
    System.out.printf("gzip bomb: 10 MiB of zeros in %d bytes%n", bomb.length);
    String token = GatewayHarness.riderToken("rider-1");

    // Headers only: the answer cannot depend on the body, which is never sent.
    try (RawHttp c = RawHttp.open(h.httpPort())) {
      long t0 = System.nanoTime();
      c.sendHead(
          "POST",
          "/v1/tasks/task-1/fixes",
          "Authorization: Bearer " + token,
          "Content-Type: application/json",
          "Content-Encoding: gzip",
          "Content-Length: " + bomb.length);
      RawHttp.Response r = c.readResponse(3000);
      System.out.printf("gzip bomb refused in %d ms before its body was sent%n", ms(t0));
      assertEquals(415, r.status(), r.head() + r.body());
      assertTrue(r.body().contains("Content-Encoding"), r.body());
      assertTrue(c.closedByServer(2000), "the refused connection is dropped");
    }

    // Bombs sent whole, over and over, while the neighbour publishes.
    AtomicBoolean attacking = new AtomicBoolean(true);
    List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread attacker =
        new Thread(
            () -> {
              while (attacking.get()) {
                try (RawHttp c = RawHttp.open(h.httpPort())) {
                  c.sendHead(
                      "POST",
                      "/v1/tasks/task-1/fixes",
                      "Authorization: Bearer " + token,
                      "Content-Type: application/json",
                      "Content-Encoding: gzip",
                      "Content-Length: " + bomb.length);
                  c.sendBody(bomb);
                  statuses.add(c.readResponse(5000).status());
                } catch (Exception e) {
                  statuses.add(-1);
                }
              }
            },
            "gzip-bomber");
    attacker.start();
    try {
      assertTrue(
          GatewayHarness.eventually(java.time.Duration.ofSeconds(10), () -> statuses.size() >= 5));
      long ackMs = neighbourAckMs(1);
      System.out.printf("MQTT QoS 1 ack during the gzip bombs: %d ms%n", ackMs);
      assertTrue(ackMs < 2000, "neighbour acknowledged promptly: " + ackMs + " ms");
    } finally {
      attacking.set(false);
      attacker.join(10_000);
    }
    System.out.printf(
        "gzip bombs answered: %d, statuses %s%n",
        statuses.size(), new java.util.TreeSet<>(statuses));
    assertTrue(
        statuses.stream().allMatch(s -> s == 415), "every bomb refused with 415: " + statuses);
    assertEquals(0, h.items("task-1").size(), "nothing of a bomb was stored");
  }

  @Test
  void unauthenticatedBodyIsAnswered401WithoutBeingRead() throws Exception {
    // 50 MB declared and streamed; no token.
    try (RawHttp c = RawHttp.open(h.httpPort())) {
      long t0 = System.nanoTime();
      c.sendHead(
          "POST",
          "/v1/tasks/task-1/fixes",
          "Content-Type: application/json",
          "Content-Length: 52428800");
      Thread body = c.streamBodyInBackground(52_428_800L, 65_536, 5);
      long ackMs = neighbourAckMs(2);
      RawHttp.Response r = c.readResponse(3000);
      long answeredMs = ms(t0);
      assertEquals(401, r.status(), r.head() + r.body());
      assertTrue(c.closedByServer(3000), "the unauthenticated connection is dropped");
      body.join(10_000);
      System.out.printf(
          "unauthenticated 50 MB body: 401 in %d ms, %d KiB of it sent before the server stopped reading;"
              + " MQTT QoS 1 ack meanwhile %d ms%n",
          answeredMs, c.bodyBytesSent.get() / 1024, ackMs);
      assertTrue(
          c.bodyBytesSent.get() < 16L * 1024 * 1024,
          "the server did not read the body: only "
              + c.bodyBytesSent.get()
              + " bytes got out (socket buffers)");
      assertTrue(ackMs < 2000, "neighbour acknowledged promptly: " + ackMs + " ms");
    }

    // Within the limit but with a forged token, sent slowly: 401 long before the body is complete.
    try (RawHttp c = RawHttp.open(h.httpPort())) {
      long t0 = System.nanoTime();
      c.sendHead(
          "POST",
          "/v1/tasks/task-1/fixes",
          "Authorization: Bearer " + GatewayHarness.forgedToken("rider-1"),
          "Content-Type: application/json",
          "Content-Length: 200000");
      c.streamBodyInBackground(200_000, 4096, 100); // 5 s to send it all
      RawHttp.Response r = c.readResponse(3000);
      long answeredMs = ms(t0);
      System.out.printf(
          "forged token, slow 200 kB body: 401 in %d ms after %d of 200000 bytes%n",
          answeredMs, c.bodyBytesSent.get());
      assertEquals(401, r.status(), r.head() + r.body());
      assertTrue(c.bodyBytesSent.get() < 200_000, "answered before the body was complete");
      assertTrue(c.closedByServer(3000), "the connection is dropped");
    }
  }

  @Test
  void declaredTooLargeBodyGets413AtOnceAndTheConnectionIsDropped() throws Exception {
    try (RawHttp c = RawHttp.open(h.httpPort())) {
      c.sendHead(
          "POST",
          "/v1/tasks/task-1/fixes",
          "Authorization: Bearer " + GatewayHarness.riderToken("rider-1"),
          "Content-Type: application/json",
          "Content-Length: " + (50L * 1024 * 1024));
      RawHttp.Response r = c.readResponse(3000);
      assertEquals(413, r.status(), r.head() + r.body());
      assertTrue(r.body().contains(Integer.toString(MAX_BODY)), r.body());
      assertTrue(c.closedByServer(2000), "the connection is dropped rather than the body drained");
    }
    // A stranger's endpoint answered without reading the body stops receiving it as well.
    try (RawHttp c = RawHttp.open(h.httpPort())) {
      c.sendHead(
          "POST",
          "/no/such/endpoint",
          "Content-Type: application/json",
          "Content-Length: 52428800");
      assertEquals(404, c.readResponse(3000).status());
      assertTrue(c.closedByServer(2000), "the connection is dropped rather than the body drained");
    }
  }

  @Test
  void expectContinueClientsAreToldToSendOnlyOnceAdmitted() throws Exception {
    String fixes = Fixes.batch(Fixes.baseTs(), 2).encode();
    try (RawHttp c = RawHttp.open(h.httpPort())) {
      c.sendHead(
          "POST",
          "/v1/tasks/task-3/fixes",
          "Authorization: Bearer " + GatewayHarness.riderToken("rider-3"),
          "Content-Type: application/json",
          "Expect: 100-continue",
          "Content-Length: " + fixes.length());
      assertEquals(100, c.readResponse(3000).status());
      c.sendBody(fixes.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      RawHttp.Response r = c.readResponse(10_000);
      assertEquals(200, r.status(), r.body());
    }
    try (RawHttp c = RawHttp.open(h.httpPort())) {
      c.sendHead(
          "POST",
          "/v1/tasks/task-3/fixes",
          "Authorization: Bearer " + GatewayHarness.riderToken("rider-1"),
          "Content-Type: application/json",
          "Expect: 100-continue",
          "Content-Length: " + fixes.length());
      assertEquals(
          403, c.readResponse(3000).status(), "not rider-1's task: refused before the body");
    }
  }

  /** Publishes one fix as rider-2 with QoS 1 and returns how long its acknowledgement took. */
  private static long neighbourAckMs(int i) throws Exception {
    MqttMessage m = new MqttMessage(Fixes.fix(Fixes.baseTs() + i * 1000L, i).toBuffer().getBytes());
    m.setQos(1);
    long t0 = System.nanoTime();
    IMqttToken t = neighbour.publish(FixTopics.fixesTopic("task-2"), m);
    t.waitForCompletion(10_000);
    assertEquals(0, t.getReasonCodes()[0], "stored");
    return ms(t0);
  }

  private static long ms(long since) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }
}
