package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskTestKit.ADMIN;
import static io.tracklane.backoffice.tasks.TaskTestKit.RIDER;
import static io.tracklane.backoffice.tasks.TaskTestKit.RIDER2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskExpiryTest {
  private final TaskTestKit kit = new TaskTestKit();

  @AfterEach
  void close() {
    kit.close();
  }

  @Test
  void theSweepExpiresOpenAndClaimedTasksPastTheirWindowOnly() {
    String open = kit.createTask("open, past");
    String claimed = kit.createTask("claimed, past");
    String running = kit.createTask("in progress, past");
    String future = kit.createTask("open, still running");
    assertEquals(200, kit.claim(claimed, RIDER).status());
    assertEquals(200, kit.claim(running, RIDER2).status());
    assertEquals(200, kit.start(running, RIDER2).status());
    kit.sql(
        "UPDATE tasks SET window_start = now() - interval '3 hours', window_end = now() - interval '1 minute' "
            + "WHERE id = ANY($1)",
        (Object) new String[] {open, claimed, running});

    TaskTestKit.Res r = kit.call("POST", "/tasks/expire", Map.of(), null, null, ADMIN);
    assertEquals(200, r.status(), r.body().encode());
    assertEquals(2, r.body().getInteger("expired"));
    assertEquals("expired", status(open));
    assertEquals("expired", status(claimed));
    assertEquals("in_progress", status(running), "a started task is the rider's to finish");
    assertEquals("open", status(future));
    assertEquals(
        RIDER.userId(),
        kit.get(claimed, ADMIN).body().getString("claimedBy"),
        "who had it is kept");

    var events =
        kit.sql(
            "SELECT task_id, from_status, to_status, actor_id FROM task_events WHERE type = 'expired' "
                + "ORDER BY from_status");
    assertEquals(2, events.size());
    assertEquals(claimed, events.get(0).getString("task_id"));
    assertEquals("claimed", events.get(0).getString("from_status"));
    assertEquals(open, events.get(1).getString("task_id"));
    assertEquals("open", events.get(1).getString("from_status"));
    events.forEach(
        e -> {
          assertEquals("expired", e.getString("to_status"));
          assertNull(e.getString("actor_id"), "the system did it");
        });

    // idempotent: nothing left to expire
    assertEquals(
        0,
        kit.call("POST", "/tasks/expire", Map.of(), null, null, ADMIN)
            .body()
            .getInteger("expired"));
    assertEquals(2, kit.count("SELECT count(*) FROM task_events WHERE type = 'expired'"));
    // an expired task can be neither claimed nor cancelled
    assertEquals(409, kit.claim(open, RIDER2).status());
    assertEquals(409, kit.cancel(open, new JsonObject().put("reason", "late")).status());
    // the rider's slot is free again
    assertEquals(200, kit.claim(future, RIDER).status());
  }

  @Test
  void theScheduledFunctionRunsTheSameSweep() {
    String due = kit.createTask("due");
    kit.createTask("not due");
    kit.sql(
        "UPDATE tasks SET window_start = now() - interval '2 hours', window_end = now() - interval '1 hour' "
            + "WHERE id = $1",
        due);
    ScheduledEvent event = EventLoader.loadScheduledEvent("events/scheduled-expiry.json");
    TaskExpiryHandler expiry = new TaskExpiryHandler(kit.ctx);

    Map<String, Object> result = expiry.handleRequest(event, null);
    assertEquals(1, result.get("expired"));
    assertEquals("53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", result.get("eventId"));
    assertEquals("expired", status(due));
    assertEquals(0, expiry.handleRequest(event, null).get("expired"));
    assertEquals(0, kit.handler.service().expireDue());
  }

  private String status(String id) {
    return kit.get(id, ADMIN).body().getString("status");
  }
}
