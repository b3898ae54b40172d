package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tracklane.devkit.DevSigningKeys;
import io.tracklane.gateway.config.GatewaySettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.Test;

/**
 * Signing keys rotate without a gateway restart: the gateway reads its JWKS from a URL (a small
 * real HTTP server here, standing in for the back office's /.well-known/jwks.json) periodically and
 * when a token names an unknown key id, at most once per interval however many such tokens arrive.
 */
class JwksRotationIT {

  /** A JWKS endpoint whose keys the test changes, counting the GETs it answers. */
  static final class JwksServer implements AutoCloseable {
    final HttpServer server;
    final AtomicReference<List<DevSigningKeys>> keys = new AtomicReference<>();
    final AtomicInteger fetches = new AtomicInteger();

    /** While non-null, requests wait on it (a hanging back office). */
    volatile CountDownLatch hang;

    JwksServer(DevSigningKeys... initial) throws Exception {
      keys.set(List.of(initial));
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext(
          "/.well-known/jwks.json",
          ex -> {
            fetches.incrementAndGet();
            CountDownLatch h = hang;
            if (h != null) {
              try {
                h.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            JsonArray arr = new JsonArray();
            keys.get().forEach(k -> arr.add(k.publicJwk()));
            byte[] body =
                new JsonObject().put("keys", arr).encode().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
    }

    void serve(DevSigningKeys... now) {
      keys.set(List.of(now));
    }

    @Override
    public void close() {
      CountDownLatch h = hang;
      if (h != null) h.countDown();
      server.stop(0);
    }
  }

  static String token(DevSigningKeys keys, String rider) {
    return keys.minter(GatewayHarness.ISSUER, GatewayHarness.AUDIENCE)
        .mint(rider, "rider", Duration.ofHours(1));
  }

  static Map<String, String> jwksFrom(JwksServer s, long refreshMs, long unknownKidMinMs) {
    return Map.of(
        GatewaySettings.JWKS_FILE.env(),
        "",
        GatewaySettings.JWKS_URL.env(),
        s.url(),
        GatewaySettings.JWKS_REFRESH_MS.env(),
        Long.toString(refreshMs),
        GatewaySettings.JWKS_UNKNOWN_KID_MIN_INTERVAL_MS.env(),
        Long.toString(unknownKidMinMs),
        GatewaySettings.JWKS_FETCH_TIMEOUT_MS.env(),
        "1000");
  }

  @Test
  void aRotatedKeyIsAcceptedWithoutRestartAndAFloodOfUnknownKeysCostsOneFetch() throws Exception {
    DevSigningKeys a = DevSigningKeys.generate();
    DevSigningKeys b = DevSigningKeys.generate();
    try (JwksServer jwks = new JwksServer(a);
        GatewayHarness h = GatewayHarness.start(false, jwksFrom(jwks, 600_000, 3_000))) {
      assertEquals(1, jwks.fetches.get(), "read once at start");
      MqttAsyncClient withA =
          MqttClients.paho5(h.mqttUri(), "rot-a", "rider-1", token(a, "rider-1"));

      // the back office rotates: B signs new tokens, A stays published for the tokens in flight
      jwks.serve(a, b);
      Thread.sleep(3_100); // past the unknown-kid interval since the start-up read
      MqttAsyncClient withB =
          MqttClients.paho5(h.mqttUri(), "rot-b", "rider-2", token(b, "rider-2"));
      assertEquals(0, SessionAuthIT.publish(withB, "task-2").getReasonCodes()[0]);
      assertEquals(0, SessionAuthIT.publish(withA, "task-1").getReasonCodes()[0]);
      assertEquals(2, jwks.fetches.get(), "one read for the new kid");
      HttpResponse<String> postB =
          h.postFixes("task-2", token(b, "rider-2"), Fixes.fix(Fixes.baseTs(), 0).encode());
      assertEquals(200, postB.statusCode(), postB.body());

      // a flood of tokens, each naming a different unknown key, once the interval has passed again:
      // the first reads the JWKS at once, the rest share that read or are inside the interval
      List<String> unknown = new ArrayList<>();
      for (int i = 0; i < 40; i++) unknown.add(token(DevSigningKeys.generate(), "rider-1"));
      Thread.sleep(3_100);
      int before = jwks.fetches.get();
      List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        flood.add(
            h.postFixesAsync("task-1", unknown.get(i), Fixes.fix(Fixes.baseTs(), i).encode()));
      }
      for (CompletableFuture<HttpResponse<String>> f : flood) {
        HttpResponse<String> r = f.get();
        assertEquals(401, r.statusCode(), r.body());
      }
      int flooded = jwks.fetches.get() - before;
      System.out.println("JWKS reads caused by 40 unknown-kid tokens: " + flooded);
      assertEquals(1, flooded, "one JWKS read for the whole flood");
      assertTrue(
          h.postFixes(
                      "task-1",
                      token(DevSigningKeys.generate(), "rider-1"),
                      Fixes.fix(Fixes.baseTs(), 0).encode())
                  .statusCode()
              == 401);
      assertEquals(
          before + 1, jwks.fetches.get(), "another unknown kid inside the interval reads nothing");

      withA.disconnect().waitForCompletion(5000);
      withB.disconnect().waitForCompletion(5000);
      MqttClients.closeQuietly(withA::close);
      MqttClients.closeQuietly(withB::close);
    }
  }

  @Test
  void aRetiredKeyStopsWorkingAtTheNextRefreshAndAHangingEndpointKeepsTheKeysInHand()
      throws Exception {
    DevSigningKeys a = DevSigningKeys.generate();
    DevSigningKeys b = DevSigningKeys.generate();
    try (JwksServer jwks = new JwksServer(a, b);
        GatewayHarness h = GatewayHarness.start(false, jwksFrom(jwks, 300, 600_000))) {
      String tokenA = token(a, "rider-1");
      assertEquals(
          200, h.postFixes("task-1", tokenA, Fixes.fix(Fixes.baseTs(), 0).encode()).statusCode());
      jwks.serve(b); // A retired
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(10),
              () -> {
                try {
                  return h.postFixes("task-1", tokenA, Fixes.fix(Fixes.baseTs() + 1000, 0).encode())
                          .statusCode()
                      == 401;
                } catch (Exception e) {
                  return false;
                }
              }),
          "a token of the retired key is refused after a periodic read");

      // the endpoint hangs: reads time out (1 s), the keys in hand still verify, nothing blocks
      jwks.hang = new CountDownLatch(1);
      int before = jwks.fetches.get();
      assertTrue(
          GatewayHarness.eventually(Duration.ofSeconds(10), () -> jwks.fetches.get() >= before + 2),
          "reads go on although each one times out");
      HttpResponse<String> withB =
          h.postFixes("task-1", token(b, "rider-1"), Fixes.fix(Fixes.baseTs() + 2000, 0).encode());
      assertEquals(200, withB.statusCode(), withB.body());
      assertTrue(
          h.gateway.metrics().count("tracklane.jwks.read.failures", "why", "scheduled") >= 1);
    }
  }
}
