package io.tracklane.gateway.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.devkit.LocalPostgres;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The users' active flags from a real (embedded) Postgres, cached, and corrected by notifications.
 */
class PgUserStatusTest {
  private static final Duration TTL = Duration.ofSeconds(60);

  private Vertx vertx;
  private Pool pool;
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final AtomicInteger queries = new AtomicInteger();

  @BeforeEach
  void setUp() {
    String url =
        LocalPostgres.shared()
            .createDatabase("u_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
    vertx = Vertx.vertx();
    pool = PgTaskAccess.pool(vertx, url, 2);
    sql("CREATE TABLE users (id text PRIMARY KEY, active boolean NOT NULL)");
    sql("INSERT INTO users VALUES ('on', true), ('off', false)");
  }

  @AfterEach
  void tearDown() {
    await(pool.close());
    await(vertx.close());
  }

  @Test
  void activeInactiveAndUnknownUsersAreCachedUntilTold() {
    PgUserStatus users = counting(PgUserStatus.query(pool));
    assertTrue(await(users.isActive("on")));
    assertFalse(await(users.isActive("off")));
    assertFalse(await(users.isActive("nobody")), "a user without a row is not active");
    sql("UPDATE users SET active = false WHERE id = 'on'");
    assertTrue(await(users.isActive("on")), "cached");
    assertEquals(3, queries.get());
    users.told("on", false);
    assertFalse(await(users.isActive("on")), "told: no query needed");
    assertEquals(3, queries.get());
    now.addAndGet(TTL.toNanos());
    assertFalse(await(users.isActive("on")), "stale: read again");
    assertEquals(4, queries.get());
  }

  @Test
  void aNotificationWinsOverAQueryThatWasAlreadyRunning() {
    Promise<Void> gate = Promise.promise();
    Function<String, Future<Boolean>> real = PgUserStatus.query(pool);
    PgUserStatus users = counting(id -> gate.future().compose(v -> real.apply(id)));
    // a CONNECT's check starts while the user is active ...
    Future<Boolean> connecting = users.isActive("on");
    // ... the back office deactivates them and says so before the query answers
    sql("UPDATE users SET active = false WHERE id = 'on'");
    users.told("on", false);
    sql("UPDATE users SET active = true WHERE id = 'on'"); // the row alone would say "active"
    gate.complete();
    assertFalse(await(connecting), "the check answers what the notification said");
  }

  @Test
  void aFailedQueryFailsTheCheckAndIsNotCached() {
    sql("ALTER TABLE users RENAME TO users_away");
    PgUserStatus users = counting(PgUserStatus.query(pool));
    assertTrue(awaitFails(users.isActive("on")), "no users table: the check fails");
    sql("ALTER TABLE users_away RENAME TO users");
    assertTrue(await(users.isActive("on")), "the failure was not remembered");
    assertEquals(2, queries.get());
  }

  private PgUserStatus counting(Function<String, Future<Boolean>> loader) {
    return new PgUserStatus(
        id -> {
          queries.incrementAndGet();
          return loader.apply(id);
        },
        TTL,
        100,
        now::get);
  }

  private void sql(String sql) {
    await(pool.query(sql).execute());
  }

  private static boolean awaitFails(Future<?> f) {
    try {
      f.await(10, TimeUnit.SECONDS);
      return false;
    } catch (Exception e) {
      return true;
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }
}
