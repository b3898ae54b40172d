package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskTestKit.ADMIN;
import static io.tracklane.backoffice.tasks.TaskTestKit.RIDER;
import static io.tracklane.backoffice.tasks.TaskTestKit.RIDER2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.Database;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * Every task transition announces itself on the Postgres channel {@code tracklane_task_status} (the
 * gateway's live stream listens), from inside its transaction: a refused transition, which rolls
 * back, announces nothing.
 */
class TaskStatusNotifyTest {
  private final TaskTestKit kit = new TaskTestKit();
  private final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  private volatile boolean listening = true;
  private Database listenerDb;
  private Thread listener;

  /** A LISTEN session of its own, as the gateway's live stream holds one. */
  @BeforeEach
  void listen() throws Exception {
    listenerDb = Database.connect(kit.ctx.config().get(BackofficeSettings.PG_URL), null, 1);
    CountDownLatch subscribed = new CountDownLatch(1);
    listener =
        new Thread(
            () ->
                listenerDb.withSession(
                    sql -> {
                      try (Statement st = sql.connection().createStatement()) {
                        st.execute("LISTEN " + TaskService.STATUS_CHANNEL);
                        subscribed.countDown();
                        PGConnection pg = sql.connection().unwrap(PGConnection.class);
                        while (listening) {
                          PGNotification[] batch = pg.getNotifications(200);
                          if (batch == null) continue;
                          for (PGNotification n : batch)
                            received.add(new JsonObject(n.getParameter()));
                        }
                        return null;
                      } catch (SQLException e) {
                        throw new IllegalStateException(e);
                      }
                    }),
            "task-status-listener");
    listener.start();
    assertTrue(subscribed.await(10, TimeUnit.SECONDS), "LISTEN within 10 s");
  }

  @AfterEach
  void close() throws Exception {
    listening = false;
    listener.join(10_000);
    listenerDb.close();
    kit.close();
  }

  @Test
  void eachTransitionNotifiesTaskRiderStatusAndTime() throws Exception {
    Instant before = Instant.now().minusSeconds(5);
    String id = kit.createTask("notify me");
    assertEquals(200, kit.claim(id, RIDER).status());
    assertStatus(next(), id, "claimed", RIDER.userId(), before);
    assertEquals(200, kit.start(id, RIDER).status());
    assertStatus(next(), id, "in_progress", RIDER.userId(), before);
    assertEquals(200, kit.complete(id, RIDER).status());
    assertStatus(next(), id, "completed", RIDER.userId(), before);

    String released = kit.createTask("released");
    assertEquals(200, kit.claim(released, RIDER2).status());
    assertStatus(next(), released, "claimed", RIDER2.userId(), before);
    assertEquals(200, kit.release(released, RIDER2).status());
    assertStatus(next(), released, "open", RIDER2.userId(), before);

    String cancelled = kit.createTask("cancelled");
    assertEquals(200, kit.cancel(cancelled, new JsonObject().put("reason", "not needed")).status());
    assertStatus(next(), cancelled, "cancelled", null, before);
  }

  @Test
  void aRefusedTransitionNotifiesNothing() throws Exception {
    String id = kit.createTask("contested");
    assertEquals(200, kit.claim(id, RIDER).status());
    assertStatus(next(), id, "claimed", RIDER.userId(), Instant.EPOCH);
    assertEquals(409, kit.claim(id, RIDER2).status());
    assertEquals(409, kit.complete(id, RIDER).status());
    assertEquals(403, kit.start(id, RIDER2).status());
    // a marker transition: anything the refusals had sent would arrive before it
    assertEquals(200, kit.cancel(id, new JsonObject().put("reason", "marker")).status());
    assertStatus(next(), id, "cancelled", RIDER.userId(), Instant.EPOCH);
    assertNull(received.poll(), "no notification from refused transitions");
  }

  @Test
  void theExpirySweepNotifiesEveryExpiredTask() throws Exception {
    String open = kit.createTask("open, past");
    String claimed = kit.createTask("claimed, past");
    assertEquals(200, kit.claim(claimed, RIDER).status());
    assertStatus(next(), claimed, "claimed", RIDER.userId(), Instant.EPOCH);
    kit.sql(
        "UPDATE tasks SET window_start = now() - interval '3 hours', window_end = now() - interval '1 minute' "
            + "WHERE id = ANY($1)",
        (Object) new String[] {open, claimed});
    TaskTestKit.Res r = kit.call("POST", "/tasks/expire", Map.of(), null, null, ADMIN);
    assertEquals(2, r.body().getInteger("expired"));
    JsonObject a = next();
    JsonObject b = next();
    Map<String, JsonObject> byTask = Map.of(a.getString("taskId"), a, b.getString("taskId"), b);
    assertStatus(byTask.get(open), open, "expired", null, Instant.EPOCH);
    assertStatus(byTask.get(claimed), claimed, "expired", RIDER.userId(), Instant.EPOCH);
    assertEquals(
        0,
        kit.call("POST", "/tasks/expire", Map.of(), null, null, ADMIN)
            .body()
            .getInteger("expired"));
    assertNull(received.poll(), "an empty sweep notifies nothing");
  }

  private JsonObject next() throws InterruptedException {
    JsonObject n = received.poll(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(n, "no notification within 10 s");
    return n;
  }

  private static void assertStatus(
      JsonObject n, String taskId, String status, String riderId, Instant notBefore) {
    assertNotNull(n);
    assertEquals(
        List.of("taskId", "status", "riderId", "at"), List.copyOf(n.fieldNames()), n.encode());
    assertEquals(taskId, n.getString("taskId"), n.encode());
    assertEquals(status, n.getString("status"), n.encode());
    assertEquals(riderId, n.getString("riderId"), n.encode());
    Instant at = Instant.parse(n.getString("at"));
    assertTrue(!at.isBefore(notBefore) && !at.isAfter(Instant.now().plusSeconds(5)), n.encode());
  }
}
