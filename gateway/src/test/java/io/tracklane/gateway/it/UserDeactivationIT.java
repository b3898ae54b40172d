package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.StatusChannels;
import io.tracklane.devkit.LocalPostgres;
import io.tracklane.gateway.access.PgTaskAccess;
import io.tracklane.gateway.config.GatewaySettings;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deactivated user loses the gateway within seconds although their access token is still valid:
 * the back office's {@code tracklane_user_status} notification (sent here as the back office sends
 * it: in the transaction that deactivates the user) ends their MQTT connections, and their token no
 * longer opens a session or posts fixes. Real gateway (dynalite), real embedded Postgres, real Paho
 * clients.
 */
class UserDeactivationIT {
  private static Pool pg;
  private static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    String url =
        LocalPostgres.shared()
            .createDatabase(
                "users_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    pg = PgTaskAccess.pool(GatewayHarness.testVertx(), url, 2);
    // the columns of the back office's tables that the gateway reads
    sql("CREATE TABLE users (id text PRIMARY KEY, active boolean NOT NULL)");
    sql(
        "CREATE TABLE routes (id text PRIMARY KEY, geometry jsonb NOT NULL, checkpoints jsonb NOT NULL)");
    sql(
        "CREATE TABLE tasks (id text PRIMARY KEY, route_id text REFERENCES routes (id), status text NOT NULL, "
            + "claimed_by text)");
    sql("INSERT INTO users VALUES ('rider-on', true), ('rider-off', true)");
    sql(
        "INSERT INTO tasks VALUES ('task-on', NULL, 'in_progress', 'rider-on'), ('task-off', NULL, 'in_progress', 'rider-off')");
    h = GatewayHarness.start(false, Map.of(GatewaySettings.PG_URL.env(), url));
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) h.close();
    if (pg != null) pg.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aDeactivatedUserIsDisconnectedWithinSecondsAndRefusedAfterwards() throws Exception {
    assertTrue(
        GatewayHarness.eventually(Duration.ofSeconds(15), () -> h.gateway.userStatusListening()),
        "the gateway listens for user status changes");
    String token = GatewayHarness.riderToken("rider-off");
    String bystanderToken = GatewayHarness.riderToken("rider-on");
    MqttAsyncClient v5 = MqttClients.paho5(h.mqttUri(), "off-5", "rider-off", token);
    CompletableFuture<MqttDisconnectResponse> v5Gone = Disconnects.of(v5);
    var v3 = MqttClients.paho3(h.mqttUri(), "off-3", "rider-off", token);
    CompletableFuture<Throwable> v3Lost = Disconnects.of(v3);
    MqttAsyncClient bystander = MqttClients.paho5(h.mqttUri(), "on-5", "rider-on", bystanderToken);
    assertEquals(0, SessionAuthIT.publish(v5, "task-off").getReasonCodes()[0]);
    assertEquals(
        200, h.postFixes("task-off", token, Fixes.fix(Fixes.baseTs(), 0).encode()).statusCode());

    long deactivatedAt = System.nanoTime();
    deactivate("rider-off");
    MqttDisconnectResponse d = v5Gone.get(5, TimeUnit.SECONDS);
    assertEquals(0x87, d.getReturnCode(), "MQTT 5 DISCONNECT: not authorized");
    assertEquals("user deactivated", d.getReasonString());
    assertNotNull(v3Lost.get(5, TimeUnit.SECONDS), "the MQTT 3.1.1 connection is closed");
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deactivatedAt);
    assertTrue(tookMs < 5000, "disconnected after " + tookMs + " ms");
    System.out.println("deactivation to disconnect: " + tookMs + " ms");

    // the still-valid token opens no session and posts nothing
    MqttException refused =
        assertThrows(
            MqttException.class, () -> MqttClients.paho5(h.mqttUri(), "off-5", "rider-off", token));
    assertEquals(0x87, refused.getReasonCode(), "MQTT 5 CONNACK: not authorized");
    var refused3 =
        assertThrows(
            org.eclipse.paho.client.mqttv3.MqttException.class,
            () -> MqttClients.paho3(h.mqttUri(), "off-3", "rider-off", token));
    assertEquals(
        org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_NOT_AUTHORIZED,
        refused3.getReasonCode());
    HttpResponse<String> post =
        h.postFixes("task-off", token, Fixes.fix(Fixes.baseTs() + 1000, 0).encode());
    assertEquals(403, post.statusCode(), post.body());
    assertEquals("user_deactivated", new JsonObject(post.body()).getString("error"));

    // another user is untouched
    assertTrue(bystander.isConnected());
    assertEquals(0, SessionAuthIT.publish(bystander, "task-on").getReasonCodes()[0]);
    bystander.disconnect().waitForCompletion(5000);
    MqttClients.closeQuietly(bystander::close);
    MqttClients.closeQuietly(v5::close);
    MqttClients.closeQuietly(v3::close);

    // reactivated: the same token works again at once (the notification updates the cached answer)
    activate("rider-off");
    assertTrue(
        GatewayHarness.eventually(
            Duration.ofSeconds(5),
            () -> {
              try {
                return h.postFixes("task-off", token, Fixes.fix(Fixes.baseTs() + 2000, 0).encode())
                        .statusCode()
                    == 200;
              } catch (Exception e) {
                return false;
              }
            }),
        "reactivated user posts again");
  }

  @Test
  void aTokenOfAnUnknownUserIsRefused() throws Exception {
    String token = GatewayHarness.riderToken("rider-nobody");
    HttpResponse<String> post =
        h.postFixes("task-on", token, Fixes.fix(Fixes.baseTs(), 0).encode());
    assertEquals(403, post.statusCode(), post.body());
    MqttException refused =
        assertThrows(
            MqttException.class,
            () -> MqttClients.paho5(h.mqttUri(), "nobody-5", "rider-nobody", token));
    assertEquals(0x87, refused.getReasonCode());
  }

  /**
   * What the back office does (UserStore.update): the UPDATE and its pg_notify in one transaction.
   */
  private static void deactivate(String userId) throws Exception {
    setActive(userId, false);
  }

  private static void activate(String userId) throws Exception {
    setActive(userId, true);
  }

  private static void setActive(String userId, boolean active) throws Exception {
    String payload =
        new JsonObject()
            .put("userId", userId)
            .put("active", active)
            .put("at", Instant.now().toString())
            .encode();
    pg.withTransaction(
            conn ->
                conn.preparedQuery("UPDATE users SET active = $2 WHERE id = $1")
                    .execute(Tuple.of(userId, active))
                    .compose(
                        r ->
                            conn.preparedQuery(
                                    "SELECT pg_notify('" + StatusChannels.USER_STATUS + "', $1)")
                                .execute(Tuple.of(payload))))
        .await(10, TimeUnit.SECONDS);
  }

  private static void sql(String sql) throws Exception {
    pg.query(sql).execute().await(10, TimeUnit.SECONDS);
  }
}
