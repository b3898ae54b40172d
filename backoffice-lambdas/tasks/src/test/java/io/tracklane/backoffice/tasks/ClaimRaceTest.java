package io.tracklane.backoffice.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** 100 riders claim the same task at the same moment: exactly one wins. */
class ClaimRaceTest {
  private static final int RIDERS = 100;

  @Test
  void exactlyOneOfAHundredConcurrentClaimsWins() throws Exception {
    try (TaskTestKit kit =
        new TaskTestKit(Map.of(BackofficeSettings.PG_POOL_SIZE.env(), "20"), null)) {
      List<Caller> riders = new ArrayList<>();
      for (int i = 0; i < RIDERS; i++) {
        Caller rider = new Caller("racer-" + i, "rider");
        kit.user(rider);
        riders.add(rider);
      }
      String id = kit.createTask("the prize");

      ExecutorService pool = Executors.newFixedThreadPool(RIDERS);
      CountDownLatch ready = new CountDownLatch(RIDERS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<TaskTestKit.Res>> results = new ArrayList<>();
      try {
        for (Caller rider : riders) {
          results.add(
              pool.submit(
                  () -> {
                    var event = TaskTestKit.fixture("claim-task.json", id);
                    event
                        .getRequestContext()
                        .setAuthorizer(
                            Map.<String, Object>of(
                                "userId",
                                rider.userId(),
                                "role",
                                "rider",
                                "principalId",
                                rider.userId()));
                    ready.countDown();
                    assertTrue(go.await(30, TimeUnit.SECONDS));
                    return kit.call(event);
                  }));
        }
        assertTrue(ready.await(30, TimeUnit.SECONDS), "all claimers ready");
        go.countDown();
        int ok = 0;
        int conflict = 0;
        String winner = null;
        for (int i = 0; i < RIDERS; i++) {
          TaskTestKit.Res r = results.get(i).get(60, TimeUnit.SECONDS);
          if (r.status() == 200) {
            ok++;
            winner = riders.get(i).userId();
            assertEquals(winner, r.body().getString("claimedBy"));
          } else {
            assertEquals(409, r.status(), r.body().encode());
            assertEquals("task already claimed by another rider", r.message());
            conflict++;
          }
        }
        assertEquals(1, ok, "exactly one winner");
        assertEquals(RIDERS - 1, conflict);
        assertEquals(1, kit.count("SELECT count(*) FROM tasks WHERE claimed_by IS NOT NULL"));
        assertEquals(
            winner, kit.sql("SELECT claimed_by FROM tasks WHERE id = $1", id).get(0).getString(0));
        assertEquals(
            1,
            kit.count(
                "SELECT count(*) FROM task_events WHERE task_id = $1 AND type = 'claimed'", id));
        assertEquals(
            winner,
            kit.sql("SELECT actor_id FROM task_events WHERE task_id = $1 AND type = 'claimed'", id)
                .get(0)
                .getString(0));
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void oneRiderClaimingManyTasksAtOnceGetsOnlyTheAllowedNumber() throws Exception {
    try (TaskTestKit kit =
        new TaskTestKit(Map.of(BackofficeSettings.PG_POOL_SIZE.env(), "10"), null)) {
      int n = 20;
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) ids.add(kit.createTask("task " + i));
      ExecutorService pool = Executors.newFixedThreadPool(n);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<TaskTestKit.Res>> results = new ArrayList<>();
      try {
        for (String id : ids) {
          results.add(
              pool.submit(
                  () -> {
                    assertTrue(go.await(30, TimeUnit.SECONDS));
                    return kit.claim(id, TaskTestKit.RIDER);
                  }));
        }
        go.countDown();
        int ok = 0;
        for (Future<TaskTestKit.Res> f : results) {
          TaskTestKit.Res r = f.get(60, TimeUnit.SECONDS);
          if (r.status() == 200) {
            ok++;
          } else {
            assertEquals(409, r.status(), r.body().encode());
          }
        }
        assertEquals(
            1, ok, "the default limit is one active task per rider, even under concurrency");
        assertEquals(
            1,
            kit.count(
                "SELECT count(*) FROM tasks WHERE claimed_by = $1", TaskTestKit.RIDER.userId()));
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
