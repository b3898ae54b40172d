package io.tracklane.gateway.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.devkit.LocalPostgres;
import io.tracklane.gateway.access.TaskAccess.Decision;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a real Postgres (embedded) with the columns of the back office's tasks table that the
 * gateway reads.
 */
class PgTaskAccessTest {
  private static final Duration TTL = Duration.ofSeconds(5);

  private Vertx vertx;
  private Pool pool;

  /** A fake clock (nanos), so TTL expiry is tested without waiting. */
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private final AtomicInteger queries = new AtomicInteger();

  @BeforeEach
  void setUp() {
    String db = "g_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    String url = LocalPostgres.shared().createDatabase(db);
    vertx = Vertx.vertx();
    pool = PgTaskAccess.pool(vertx, url, 4);
  }

  @AfterEach
  void tearDown() {
    await(pool.close());
    await(vertx.close());
  }

  @Test
  void decidesFromStatusAndRider() {
    createTable();
    insert("t-running", "in_progress", "rider-1");
    insert("t-claimed", "claimed", "rider-1");
    insert("t-open", "open", null);
    insert("t-done", "completed", "rider-1");
    PgTaskAccess access = new PgTaskAccess(pool);
    assertEquals(Decision.ALLOWED, await(access.check("rider-1", "t-running")));
    assertEquals(Decision.NOT_ASSIGNED_TO_RIDER, await(access.check("rider-2", "t-running")));
    assertEquals(Decision.NOT_IN_PROGRESS, await(access.check("rider-1", "t-claimed")));
    assertEquals(Decision.NOT_IN_PROGRESS, await(access.check("rider-1", "t-done")));
    assertEquals(Decision.NOT_ASSIGNED_TO_RIDER, await(access.check("rider-1", "t-open")));
    assertEquals(Decision.UNKNOWN_TASK, await(access.check("rider-1", "no-such-task")));
    assertEquals(Decision.UNKNOWN_TASK, await(access.check("rider-1", "x'; DROP TABLE tasks; --")));
    assertEquals(
        Decision.ALLOWED, await(access.check("rider-1", "t-running")), "the table is still there");
  }

  @Test
  void answersAreCachedForTheTtl() {
    createTable();
    insert("t1", "claimed", "rider-1");
    PgTaskAccess access = counting(TTL, 100);
    assertEquals(Decision.NOT_IN_PROGRESS, await(access.check("rider-1", "t1")));
    assertEquals(
        Decision.NOT_ASSIGNED_TO_RIDER,
        await(access.check("rider-2", "t1")),
        "one row serves every rider");
    sql("UPDATE tasks SET status = 'in_progress' WHERE id = 't1'");
    now.addAndGet(TTL.toNanos() - 1);
    assertEquals(Decision.NOT_IN_PROGRESS, await(access.check("rider-1", "t1")), "still cached");
    assertEquals(1, queries.get());
    now.addAndGet(1);
    assertEquals(Decision.ALLOWED, await(access.check("rider-1", "t1")), "stale: read again");
    assertEquals(2, queries.get());

    // unknown tasks are cached as well
    assertEquals(Decision.UNKNOWN_TASK, await(access.check("rider-1", "ghost")));
    insert("ghost", "in_progress", "rider-1");
    assertEquals(Decision.UNKNOWN_TASK, await(access.check("rider-1", "ghost")));
    assertEquals(3, queries.get());
    access.invalidate("ghost");
    assertEquals(Decision.ALLOWED, await(access.check("rider-1", "ghost")));
    assertEquals(4, queries.get());
  }

  @Test
  void concurrentChecksOfOneTaskShareOneQuery() {
    createTable();
    insert("t1", "in_progress", "rider-1");
    Promise<Void> gate = Promise.promise();
    Function<String, Future<PgTaskAccess.TaskRow>> real = PgTaskAccess.query(pool);
    PgTaskAccess access =
        new PgTaskAccess(
            id -> {
              queries.incrementAndGet();
              return gate.future().compose(v -> real.apply(id));
            },
            TTL,
            100,
            now::get);
    List<Future<Decision>> checks = new ArrayList<>();
    for (int i = 0; i < 50; i++) checks.add(access.check(i % 2 == 0 ? "rider-1" : "rider-2", "t1"));
    checks.add(access.check("rider-1", "t2"));
    assertEquals(2, queries.get(), "one query per task while the first is in flight");
    gate.complete();
    for (int i = 0; i < 50; i++) {
      assertEquals(
          i % 2 == 0 ? Decision.ALLOWED : Decision.NOT_ASSIGNED_TO_RIDER, await(checks.get(i)));
    }
    assertEquals(Decision.UNKNOWN_TASK, await(checks.get(50)));
    assertEquals(Decision.ALLOWED, await(access.check("rider-1", "t1")));
    assertEquals(2, queries.get());
  }

  @Test
  void aDatabaseErrorFailsTheCheckAndIsNotCached() {
    PgTaskAccess access = counting(TTL, 100);
    // no tasks table yet: the query fails
    Future<Decision> failed = access.check("rider-1", "t1");
    PgException e = assertThrows(PgException.class, () -> await(failed));
    assertEquals("42P01", e.getSqlState());
    assertEquals(0, access.size(), "the failure is not remembered");
    createTable();
    insert("t1", "in_progress", "rider-1");
    assertEquals(Decision.ALLOWED, await(access.check("rider-1", "t1")));
    assertEquals(2, queries.get());
  }

  @Test
  void theCacheIsBounded() {
    createTable();
    PgTaskAccess access = counting(TTL, 3);
    for (int i = 0; i < 10; i++)
      assertEquals(Decision.UNKNOWN_TASK, await(access.check("r", "t" + i)));
    assertEquals(3, access.size());
    // the most recent stay cached, the eldest were evicted
    await(access.check("r", "t9"));
    assertEquals(10, queries.get());
    await(access.check("r", "t0"));
    assertEquals(11, queries.get());
  }

  @Test
  void answersComeBackOnTheCallersContext() throws Exception {
    createTable();
    insert("t1", "in_progress", "rider-1");
    PgTaskAccess access = new PgTaskAccess(pool, TTL, 100);
    Context a = vertx.getOrCreateContext();
    Context b = vertx.getOrCreateContext();
    Promise<Boolean> onA = Promise.promise();
    Promise<Boolean> onB = Promise.promise();
    a.runOnContext(
        v ->
            access
                .check("rider-1", "t1")
                .onComplete(
                    ar ->
                        onA.complete(
                            Vertx.currentContext() == a && ar.result() == Decision.ALLOWED)));
    b.runOnContext(
        v ->
            access
                .check("rider-1", "t1")
                .onComplete(
                    ar ->
                        onB.complete(
                            Vertx.currentContext() == b && ar.result() == Decision.ALLOWED)));
    assertTrue(onA.future().await(10, TimeUnit.SECONDS));
    assertTrue(onB.future().await(10, TimeUnit.SECONDS));
  }

  @Test
  void decisionTable() {
    assertSame(Decision.UNKNOWN_TASK, PgTaskAccess.decide(PgTaskAccess.TaskRow.UNKNOWN, "r"));
    assertSame(
        Decision.ALLOWED, PgTaskAccess.decide(new PgTaskAccess.TaskRow("in_progress", "r"), "r"));
    assertSame(
        Decision.NOT_ASSIGNED_TO_RIDER,
        PgTaskAccess.decide(new PgTaskAccess.TaskRow("in_progress", "x"), "r"));
    assertSame(
        Decision.NOT_IN_PROGRESS,
        PgTaskAccess.decide(new PgTaskAccess.TaskRow("cancelled", "r"), "r"));
  }

  private PgTaskAccess counting(Duration ttl, int maxEntries) {
    Function<String, Future<PgTaskAccess.TaskRow>> real = PgTaskAccess.query(pool);
    return new PgTaskAccess(
        id -> {
          queries.incrementAndGet();
          return real.apply(id);
        },
        ttl,
        maxEntries,
        now::get);
  }

  /** The columns of the back office's tasks table that the gateway reads. */
  private void createTable() {
    sql("CREATE TABLE tasks (id text PRIMARY KEY, status text NOT NULL, claimed_by text)");
  }

  private void insert(String id, String status, String rider) {
    await(
        pool.preparedQuery("INSERT INTO tasks (id, status, claimed_by) VALUES ($1, $2, $3)")
            .execute(Tuple.of(id, status, rider)));
  }

  private void sql(String sql) {
    await(pool.query(sql).execute());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }
}
