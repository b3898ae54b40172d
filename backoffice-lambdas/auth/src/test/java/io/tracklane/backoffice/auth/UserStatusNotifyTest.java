package io.tracklane.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.Database;
import io.tracklane.core.StatusChannels;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Deactivating (or reactivating) a user announces it on the Postgres channel {@code
 * tracklane_user_status}, which the gateway listens to so it can end the user's device sessions at
 * once; other changes to the account announce nothing.
 */
class UserStatusNotifyTest {
  private AuthFixture f;
  private Database listenerDb;
  private Thread listener;
  private volatile boolean listening = true;
  private final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();

  /** A connection of its own LISTENs on the channel, as the gateway's does, until the test ends. */
  @BeforeEach
  void listen() throws Exception {
    f = new AuthFixture();
    listenerDb = Database.connect(f.ctx.config().get(BackofficeSettings.PG_URL), "", 1);
    CountDownLatch subscribed = new CountDownLatch(1);
    listener =
        new Thread(
            () ->
                listenerDb.withSession(
                    sql -> {
                      sql.query("LISTEN " + StatusChannels.USER_STATUS);
                      subscribed.countDown();
                      try {
                        PGConnection pg = sql.connection().unwrap(PGConnection.class);
                        while (listening) {
                          PGNotification[] batch = pg.getNotifications(100);
                          if (batch == null) continue;
                          for (PGNotification n : batch) {
                            if (StatusChannels.USER_STATUS.equals(n.getName()))
                              received.add(new JsonObject(n.getParameter()));
                          }
                        }
                      } catch (SQLException e) {
                        throw new IllegalStateException(e);
                      }
                      return null;
                    }),
            "user-status-listener");
    listener.start();
    assertTrue(subscribed.await(10, TimeUnit.SECONDS), "LISTEN did not start");
  }

  @AfterEach
  void close() throws Exception {
    listening = false;
    listener.join(10_000);
    listenerDb.close();
    f.close();
  }

  @Test
  void deactivationAndReactivationAreAnnouncedWithTheUserAndTime() throws Exception {
    String id = rider("notify.rider");
    assertEquals(200, patch(id, new JsonObject().put("displayName", "Renamed")).getStatusCode());
    assertEquals(200, patch(id, new JsonObject().put("active", false)).getStatusCode());
    JsonObject off = next();
    // the rename came first and announced nothing: the first notification is the deactivation
    assertEquals(id, off.getString("userId"));
    assertEquals(false, off.getBoolean("active"));
    assertEquals(f.clock.instant().toString(), off.getString("at"));

    assertEquals(200, patch(id, new JsonObject().put("active", true)).getStatusCode());
    JsonObject on = next();
    assertEquals(id, on.getString("userId"));
    assertEquals(true, on.getBoolean("active"));
  }

  @Test
  void aRefusedChangeAnnouncesNothing() throws Exception {
    String id = rider("refused.rider");
    // a bad value rolls the whole change back, the deactivation with it
    assertEquals(
        400, patch(id, new JsonObject().put("active", false).put("role", "pilot")).getStatusCode());
    assertEquals(404, patch("no-such-user", new JsonObject().put("active", false)).getStatusCode());
    assertNull(received.poll(1, TimeUnit.SECONDS));
  }

  private String rider(String username) {
    APIGatewayProxyResponseEvent created =
        f.call(
            "POST",
            "/users",
            Map.of(),
            new JsonObject()
                .put("username", username)
                .put("displayName", "Rider")
                .put("role", "rider")
                .put("password", "rider-secret-1"),
            f.adminCaller());
    assertEquals(201, created.getStatusCode(), created.getBody());
    return AuthFixture.json(created).getString("id");
  }

  private APIGatewayProxyResponseEvent patch(String id, JsonObject body) {
    return f.call("PATCH", "/users/{userId}", Map.of("userId", id), body, f.adminCaller());
  }

  private JsonObject next() throws InterruptedException {
    JsonObject n = received.poll(10, TimeUnit.SECONDS);
    assertNotNull(n, "no notification on " + StatusChannels.USER_STATUS);
    return n;
  }
}
