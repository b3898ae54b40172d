package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskTestKit.ADMIN;
import static io.tracklane.backoffice.tasks.TaskTestKit.MANAGER;
import static io.tracklane.backoffice.tasks.TaskTestKit.RIDER;
import static io.tracklane.backoffice.tasks.TaskTestKit.RIDER2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.PageCursor;
import io.tracklane.devkit.Dynalite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Track history read from a real DynamoDB-compatible server (dynalite), in the gateway's item
 * layout.
 */
class TaskTrackTest {
  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final int FIXES = 25;

  private String table;
  private TaskTestKit kit;
  private String taskId;

  @BeforeEach
  void setUp() {
    Dynalite dynalite = Dynalite.shared();
    table = "fixes-" + UUID.randomUUID();
    DynamoDbClient ddb =
        FixHistory.client(
            BackofficeConfig.of(
                Map.of(
                    BackofficeSettings.DYNAMODB_ENDPOINT.env(),
                    dynalite.endpoint(),
                    BackofficeSettings.AWS_REGION.env(),
                    "us-east-1")));
    TaskTestKit.createTableLikeTheGateway(ddb, table);
    kit = new TaskTestKit(Map.of(BackofficeSettings.FIXES_TABLE.env(), table), ddb);
    taskId = kit.createTask("tracked");
    assertEquals(200, kit.claim(taskId, RIDER).status());
    assertEquals(200, kit.start(taskId, RIDER).status());
    for (int i = 0; i < FIXES; i++) {
      put(
          taskId,
          RIDER.userId(),
          T0 + i * 1000L,
          31.23 + i * 0.0001,
          121.47 + i * 0.0001,
          i % 2 == 0);
    }
    // another task's fixes in the same table must never show up
    put("other-task", RIDER2.userId(), T0 + 500, 1.0, 2.0, false);
  }

  @AfterEach
  void tearDown() {
    kit.ddb.deleteTable(b -> b.tableName(table));
    kit.close();
  }

  @Test
  void returnsTheFixesInTimeOrderWithTheirOptionalFields() {
    TaskTestKit.Res r = track(ADMIN, Map.of());
    assertEquals(200, r.status(), r.body().encode());
    assertEquals(taskId, r.body().getString("taskId"));
    JsonArray fixes = r.body().getJsonArray("fixes");
    assertEquals(FIXES, fixes.size());
    assertNull(r.body().getString("nextCursor"));
    for (int i = 0; i < FIXES; i++) {
      JsonObject f = fixes.getJsonObject(i);
      assertEquals(T0 + i * 1000L, f.getLong("ts"));
      assertEquals(31.23 + i * 0.0001, f.getDouble("lat"), 1e-9);
      assertEquals(121.47 + i * 0.0001, f.getDouble("lon"), 1e-9);
      if (i % 2 == 0) {
        assertEquals(4.5, f.getDouble("acc"));
        assertEquals(3.2, f.getDouble("spd"));
        assertEquals(270.0, f.getDouble("hdg"));
        assertEquals(12.0, f.getDouble("alt"));
        assertEquals(0.8, f.getDouble("bat"));
      } else {
        for (String k : List.of("acc", "spd", "hdg", "alt", "bat"))
          assertFalse(f.containsKey(k), k + " absent");
      }
      assertFalse(
          f.containsKey("riderId") || f.containsKey("expiresAt") || f.containsKey("receivedAt"));
    }
  }

  @Test
  void fromAndToAreInclusiveBounds() {
    JsonArray fixes =
        track(MANAGER, Map.of("from", Long.toString(T0 + 5_000), "to", Long.toString(T0 + 9_000)))
            .body()
            .getJsonArray("fixes");
    assertEquals(List.of(T0 + 5_000, T0 + 6_000, T0 + 7_000, T0 + 8_000, T0 + 9_000), tsOf(fixes));
    assertEquals(
        List.of(T0 + 24_000),
        tsOf(
            track(ADMIN, Map.of("from", Long.toString(T0 + 23_500))).body().getJsonArray("fixes")));
    assertEquals(
        List.of(T0),
        tsOf(track(ADMIN, Map.of("to", Long.toString(T0 + 999))).body().getJsonArray("fixes")));
    assertEquals(
        0,
        track(ADMIN, Map.of("from", "0", "to", Long.toString(T0 - 1)))
            .body()
            .getJsonArray("fixes")
            .size());
  }

  @Test
  void pagesFollowTheCursorToTheEnd() {
    List<Long> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Map<String, String> q =
          new HashMap<>(Map.of("limit", "10", "from", Long.toString(T0 + 2_000)));
      if (cursor != null) q.put("cursor", cursor);
      TaskTestKit.Res page = track(RIDER, q);
      assertEquals(200, page.status(), page.body().encode());
      seen.addAll(tsOf(page.body().getJsonArray("fixes")));
      cursor = page.body().getString("nextCursor");
      pages++;
    } while (cursor != null && pages < 10);
    assertEquals(3, pages, "10 + 10 + 3");
    List<Long> expected = new ArrayList<>();
    for (int i = 2; i < FIXES; i++) expected.add(T0 + i * 1000L);
    assertEquals(expected, seen);

    TaskTestKit.Res exact = track(ADMIN, Map.of("limit", "25"));
    assertEquals(25, exact.body().getJsonArray("fixes").size());
    assertNull(exact.body().getString("nextCursor"), "no empty last page");
  }

  @Test
  void ridersOnlyReadTracksOfTasksTheyClaimed() {
    assertEquals(200, track(RIDER, Map.of()).status());
    TaskTestKit.Res other = track(RIDER2, Map.of());
    assertEquals(404, other.status());
    String open = kit.createTask("open");
    assertEquals(
        404,
        kit.call("GET", "/tasks/{taskId}/track", Map.of("taskId", open), null, null, RIDER)
            .status());
    assertEquals(
        404,
        kit.call("GET", "/tasks/{taskId}/track", Map.of("taskId", "no-such"), null, null, ADMIN)
            .status());
    // after completion the claimer still sees their track
    // (the 25 test fixes never reach the route's end: an admin completes it with a reason)
    assertEquals(
        200,
        kit.completeOnly(
                taskId,
                ADMIN,
                new io.vertx.core.json.JsonObject()
                    .put("overrideReason", "track read after completion"))
            .status());
    assertEquals(FIXES, track(RIDER, Map.of()).body().getJsonArray("fixes").size());
    Caller stranger = new Caller("rider-3", "rider");
    kit.user(stranger);
    assertEquals(404, track(stranger, Map.of()).status());
  }

  @Test
  void badParametersAreNamed() {
    TaskTestKit.Res r =
        track(ADMIN, Map.of("from", "-1", "to", "soon", "limit", "1001", "cursor", "zzz"));
    assertEquals(400, r.status());
    assertEquals(List.of("from", "to", "limit", "cursor"), r.errorFields());
    assertEquals(List.of("to"), track(ADMIN, Map.of("from", "10", "to", "5")).errorFields());
    // a cursor of another task is refused
    String foreign = PageCursor.encode(PageCursor.TRACK, "other-task", Long.toString(T0));
    assertEquals(List.of("cursor"), track(ADMIN, Map.of("cursor", foreign)).errorFields());
    String first = track(ADMIN, Map.of("limit", "1")).body().getString("nextCursor");
    assertNotNull(first);
    TaskTestKit.Res next = track(ADMIN, Map.of("limit", "1", "cursor", first));
    assertEquals(List.of(T0 + 1000), tsOf(next.body().getJsonArray("fixes")));
    assertTrue(next.body().containsKey("nextCursor"));
  }

  private TaskTestKit.Res track(Caller caller, Map<String, String> query) {
    return kit.call("GET", "/tasks/{taskId}/track", Map.of("taskId", taskId), query, null, caller);
  }

  private static List<Long> tsOf(JsonArray fixes) {
    List<Long> ts = new ArrayList<>();
    fixes.forEach(o -> ts.add(((JsonObject) o).getLong("ts")));
    return ts;
  }

  /** An item as the gateway's FixItems writes it. */
  private void put(String task, String rider, long ts, double lat, double lon, boolean allFields) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("taskId", AttributeValue.fromS(task));
    item.put("ts", AttributeValue.fromN(Long.toString(ts)));
    item.put("riderId", AttributeValue.fromS(rider));
    item.put("lat", AttributeValue.fromN(Double.toString(lat)));
    item.put("lon", AttributeValue.fromN(Double.toString(lon)));
    if (allFields) {
      item.put("acc", AttributeValue.fromN("4.5"));
      item.put("spd", AttributeValue.fromN("3.2"));
      item.put("hdg", AttributeValue.fromN("270"));
      item.put("alt", AttributeValue.fromN("12"));
      item.put("bat", AttributeValue.fromN("0.8"));
    }
    item.put("receivedAt", AttributeValue.fromN(Long.toString(ts + 150)));
    item.put("expiresAt", AttributeValue.fromN(Long.toString(ts / 1000 + 90 * 86_400L)));
    kit.ddb.putItem(b -> b.tableName(table).item(item));
  }
}
