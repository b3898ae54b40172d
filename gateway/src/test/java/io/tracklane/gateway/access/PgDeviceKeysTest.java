package io.tracklane.gateway.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device keys and riders' tasks in progress from a real (embedded) Postgres: cached, and dropped by
 * notifications, also when one races a lookup.
 */
class PgDeviceKeysTest {
  private static final Duration TTL = Duration.ofSeconds(60);
  private static final String KEY = "A".repeat(43);

  private Vertx vertx;
  private Pool pool;
  private final AtomicInteger queries = new AtomicInteger();

  @BeforeEach
  void setUp() {
    String url =
        LocalPostgres.shared()
            .createDatabase("d_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
    vertx = Vertx.vertx();
    pool = PgTaskAccess.pool(vertx, url, 2);
    sql(
        "CREATE TABLE rider_devices (id text PRIMARY KEY, user_id text NOT NULL, topic_device text NOT NULL, "
            + "key_hash text NOT NULL UNIQUE, revoked_at timestamptz)");
    sql(
        "INSERT INTO rider_devices VALUES ('dev-1', 'rider-1', 'phone', '"
            + DeviceKeys.hash(KEY)
            + "', NULL)");
    sql(
        "CREATE TABLE tasks (id text PRIMARY KEY, status text NOT NULL, claimed_by text, started_at timestamptz)");
    sql("INSERT INTO tasks VALUES ('t-1', 'claimed', 'rider-1', NULL)");
  }

  @AfterEach
  void tearDown() {
    await(pool.close());
    await(vertx.close());
  }

  @Test
  void theHashIsLowerCaseHexSha256OfTheKeysUtf8Bytes() {
    // sha256("abc"), a published test vector
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", DeviceKeys.hash("abc"));
    assertTrue(DeviceKeys.looksLikeKey(KEY));
    assertFalse(DeviceKeys.looksLikeKey("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJyIn0.c2lnbmF0dXJlc2ln"));
    assertFalse(DeviceKeys.looksLikeKey("short"));
  }

  @Test
  void aKeyIsCachedUntilItsDeviceIsRevoked() {
    PgDeviceKeys keys =
        new PgDeviceKeys(counting(PgDeviceKeys.query(pool)), TTL, 100, System::nanoTime);
    Device d = await(keys.lookup(KEY));
    assertEquals(new Device("dev-1", "rider-1", "phone"), d);
    assertNull(await(keys.lookup("B".repeat(43))), "unknown key");
    sql("UPDATE rider_devices SET revoked_at = now()");
    assertEquals(d, await(keys.lookup(KEY)), "cached");
    assertEquals(2, queries.get());
    keys.told("dev-1", true);
    assertNull(await(keys.lookup(KEY)), "told: gone at once");
    assertNull(await(keys.lookup(KEY)));
  }

  @Test
  void aRevocationDuringALookupWins() {
    Promise<PgDeviceKeys.Found> held = Promise.promise();
    PgDeviceKeys keys = new PgDeviceKeys(hash -> held.future(), TTL, 100, System::nanoTime);
    Future<Device> lookup = keys.lookup(KEY);
    keys.told("dev-1", true);
    held.complete(new PgDeviceKeys.Found(new Device("dev-1", "rider-1", "phone")));
    assertNull(await(lookup), "the row read before the revocation is not trusted");
  }

  @Test
  void theRidersTaskInProgressFollowsNotifications() {
    PgRiderTasks tasks = new PgRiderTasks(pool, TTL);
    assertNull(await(tasks.taskInProgress("rider-1")));
    sql("UPDATE tasks SET status = 'in_progress'");
    assertNull(await(tasks.taskInProgress("rider-1")), "cached");
    tasks.changed("rider-1", "t-1");
    assertEquals("t-1", await(tasks.taskInProgress("rider-1")));
    sql("UPDATE tasks SET status = 'open', claimed_by = NULL");
    tasks.changed(null, "t-1"); // a release that does not name the rider
    assertNull(await(tasks.taskInProgress("rider-1")));
  }

  private <K, V> Function<K, Future<V>> counting(Function<K, Future<V>> loader) {
    return k -> {
      queries.incrementAndGet();
      return loader.apply(k);
    };
  }

  private void sql(String s) {
    await(pool.query(s).execute());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
