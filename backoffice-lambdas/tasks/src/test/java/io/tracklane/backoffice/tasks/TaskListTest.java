package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskTestKit.ADMIN;
import static io.tracklane.backoffice.tasks.TaskTestKit.MANAGER;
import static io.tracklane.backoffice.tasks.TaskTestKit.RIDER;
import static io.tracklane.backoffice.tasks.TaskTestKit.RIDER2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.Caller;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskListTest {
  private final TaskTestKit kit = new TaskTestKit();

  @AfterEach
  void close() {
    kit.close();
  }

  @Test
  void ridersSeeOpenTasksAndTheirOwnStaffSeeAll() {
    String open = kit.createTask("open");
    String mine = kit.createTask("mine");
    String theirs = kit.createTask("theirs");
    String cancelled = kit.createTask("cancelled");
    String stale = kit.createTask("stale (window passed, not yet swept)");
    assertEquals(200, kit.claim(mine, RIDER).status());
    assertEquals(200, kit.claim(theirs, RIDER2).status());
    assertEquals(200, kit.cancel(cancelled, new JsonObject().put("reason", "r")).status());
    kit.sql(
        "UPDATE tasks SET window_start = now() - interval '3 hours', window_end = now() - interval '1 hour' "
            + "WHERE id = $1",
        stale);

    assertEquals(Set.of(open, mine), ids(kit.list(RIDER, Map.of())));
    assertEquals(Set.of(open, theirs), ids(kit.list(RIDER2, Map.of())));
    assertEquals(Set.of(open, mine, theirs, cancelled, stale), ids(kit.list(MANAGER, Map.of())));
    assertEquals(Set.of(open, mine, theirs, cancelled, stale), ids(kit.list(ADMIN, Map.of())));
    assertEquals(Set.of(mine, theirs), ids(kit.list(ADMIN, Map.of("status", "claimed"))));
    assertEquals(Set.of(mine), ids(kit.list(RIDER, Map.of("status", "claimed"))));
    assertEquals(Set.of(open), ids(kit.list(RIDER, Map.of("status", "open"))));

    // the rider list from an API Gateway fixture (rider-2)
    assertEquals(
        Set.of(open, theirs), ids(kit.call(TaskTestKit.fixture("list-tasks-rider.json", null))));

    // one task: the same rules, and 404 (not 403) for what a rider may not see
    assertEquals(200, kit.get(open, RIDER).status());
    assertEquals(200, kit.get(mine, RIDER).status());
    TaskTestKit.Res hidden = kit.get(theirs, RIDER);
    assertEquals(404, hidden.status());
    assertEquals(404, kit.get(cancelled, RIDER).status());
    assertEquals(404, kit.get(stale, RIDER).status());
    assertEquals(
        hidden.message().replace(theirs, "X"),
        kit.get("no-such", RIDER).message().replace("no-such", "X"),
        "hidden and missing tasks look the same");
    TaskTestKit.Res fromFixture = kit.call(TaskTestKit.fixture("get-task-rider.json", theirs));
    assertEquals(200, fromFixture.status());
    assertEquals(RIDER2.userId(), fromFixture.body().getString("claimedBy"));
    assertEquals(404, kit.call(TaskTestKit.fixture("get-task-rider.json", mine)).status());
    assertEquals(200, kit.get(theirs, MANAGER).status());
    assertEquals(200, kit.get(cancelled, ADMIN).status());

    // a rider keeps seeing a task they had, even once cancelled
    assertEquals(200, kit.cancel(mine, new JsonObject().put("reason", "r")).status());
    assertEquals(200, kit.get(mine, RIDER).status());
    assertEquals(
        Set.of(mine), ids(kit.call("GET", "/riders/me/tasks", Map.of(), null, null, RIDER)));
    assertEquals(
        Set.of(mine),
        ids(
            kit.call(
                "GET", "/riders/me/tasks", Map.of(), Map.of("status", "cancelled"), null, RIDER)));
    assertEquals(
        Set.of(),
        ids(
            kit.call(
                "GET", "/riders/me/tasks", Map.of(), Map.of("status", "claimed"), null, RIDER)));
  }

  @Test
  void nearFiltersByDistanceToTheRoutesFirstPoint() {
    // Shanghai People's Square (the default route), Hangzhou (~165 km), Beijing (~1070 km)
    kit.route("hangzhou", 30.2741, 120.1551);
    kit.route("beijing", 39.9042, 116.4074);
    String shanghai = kit.createTask("shanghai");
    String hangzhou = kit.createTask(TaskTestKit.taskBody("hangzhou").put("routeId", "hangzhou"));
    String beijing = kit.createTask(TaskTestKit.taskBody("beijing").put("routeId", "beijing"));

    TaskTestKit.Res near = kit.list(RIDER, Map.of("near", "31.2304,121.4737", "radiusKm", "10"));
    assertEquals(200, near.status(), near.body().encode());
    assertEquals(Set.of(shanghai), ids(near));
    assertEquals(0.0, near.items().getJsonObject(0).getDouble("distanceKm"), 0.001);

    TaskTestKit.Res wider = kit.list(RIDER, Map.of("near", "31.2304,121.4737", "radiusKm", "200"));
    assertEquals(Set.of(shanghai, hangzhou), ids(wider));
    double toHangzhou =
        wider.items().stream()
            .map(o -> (JsonObject) o)
            .filter(o -> hangzhou.equals(o.getString("id")))
            .findFirst()
            .orElseThrow()
            .getDouble("distanceKm");
    assertEquals(165, toHangzhou, 10, "Shanghai to Hangzhou, great-circle");

    assertEquals(
        Set.of(shanghai, hangzhou, beijing),
        ids(kit.list(ADMIN, Map.of("near", "31.2304,121.4737", "radiusKm", "2000"))));
    assertEquals(
        Set.of(beijing), ids(kit.list(ADMIN, Map.of("near", "39.9, 116.4", "radiusKm", "5"))));
    // near combines with the rider's visibility
    assertEquals(200, kit.claim(hangzhou, RIDER2).status());
    assertEquals(
        Set.of(shanghai),
        ids(kit.list(RIDER, Map.of("near", "31.2304,121.4737", "radiusKm", "200"))));
    assertEquals(
        Set.of(shanghai, hangzhou),
        ids(kit.list(RIDER2, Map.of("near", "31.2304,121.4737", "radiusKm", "200"))));
    // without near there is no distance
    assertNull(kit.list(ADMIN, Map.of()).items().getJsonObject(0).getValue("distanceKm"));
  }

  @Test
  void pagesWalkEveryTaskOnceNewestFirst() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) created.add(kit.createTask("task " + i));
    // same created_at for two tasks: the id breaks the tie
    kit.sql(
        "UPDATE tasks SET created_at = (SELECT created_at FROM tasks WHERE id = $1) WHERE id = $2",
        created.get(3),
        created.get(4));

    List<String> seen = walk(ADMIN, Map.of("limit", "3"), 3);
    assertEquals(7, seen.size());
    assertEquals(7, new HashSet<>(seen).size(), "no task twice");
    assertEquals(created.get(6), seen.get(0), "newest first");
    assertEquals(created.get(0), seen.get(6));

    // riders page through their view the same way
    assertEquals(200, kit.claim(created.get(0), RIDER2).status());
    assertEquals(200, kit.claim(created.get(1), RIDER).status());
    List<String> riderSeen = walk(RIDER, Map.of("limit", "2"), 2);
    assertEquals(6, riderSeen.size());
    assertTrue(!riderSeen.contains(created.get(0)), "another rider's task is not listed");

    TaskTestKit.Res last = kit.list(ADMIN, Map.of("limit", "7"));
    assertEquals(7, last.items().size());
    assertNull(last.body().getString("nextCursor"), "no cursor when nothing follows");
  }

  private List<String> walk(Caller caller, Map<String, String> query, int pageSize) {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; pages < 20; pages++) {
      Map<String, String> q = new HashMap<>(query);
      if (cursor != null) q.put("cursor", cursor);
      TaskTestKit.Res page = kit.list(caller, q);
      assertEquals(200, page.status(), page.body().encode());
      assertTrue(page.items().size() <= pageSize);
      page.items().forEach(o -> seen.add(((JsonObject) o).getString("id")));
      cursor = page.body().getString("nextCursor");
      if (cursor == null) return seen;
      assertNotNull(cursor);
    }
    throw new AssertionError("pagination did not end");
  }

  private static Set<String> ids(TaskTestKit.Res r) {
    assertEquals(200, r.status(), r.body().encode());
    JsonArray items = r.items();
    Set<String> ids = new HashSet<>();
    items.forEach(o -> ids.add(((JsonObject) o).getString("id")));
    assertEquals(items.size(), ids.size());
    return ids;
  }
}
