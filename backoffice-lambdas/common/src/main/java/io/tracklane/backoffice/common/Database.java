package io.tracklane.backoffice.common;

import io.tracklane.core.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The Postgres pool (vertx-pg-client). Handlers run on Lambda's own thread (or a local-api worker),
 * never on an event loop, so they may {@link #await} a result.
 */
public final class Database implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 30;
  private final Pool pool;

  private Database(Pool pool) {
    this.pool = pool;
  }

  /**
   * From {@code TRACKLANE_PG_URL} (postgresql://user:pass@host:port/db); a password may come from
   * {@code TRACKLANE_PG_PASSWORD}.
   */
  public static Database create(Vertx vertx, BackofficeConfig config) {
    Settings settings = config.read(BackofficeSettings.DATABASE);
    PgConnectOptions connect = PgConnectOptions.fromUri(settings.get(BackofficeSettings.PG_URL));
    String password = settings.get(BackofficeSettings.PG_PASSWORD);
    if (!password.isEmpty()) connect.setPassword(password);
    connect.setCachePreparedStatements(true);
    Pool pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(settings.get(BackofficeSettings.PG_POOL_SIZE)))
            .connectingTo(connect)
            .using(vertx)
            .build();
    return new Database(pool);
  }

  public Pool pool() {
    return pool;
  }

  /** Runs {@code work} in one transaction (commit on success, rollback on failure). */
  public <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return pool.withTransaction(work);
  }

  /** Work inside a blocking transaction ({@link #inBlockingTransaction}). */
  @FunctionalInterface
  public interface BlockingWork<T> {
    T run(SqlConnection conn);
  }

  /**
   * For handlers that run on a Lambda (or worker) thread and block: runs {@code work} in one
   * transaction on its own connection; commits on return, rolls back on any exception (which is
   * rethrown with a failed rollback attached as suppressed).
   */
  public <T> T inBlockingTransaction(BlockingWork<T> work) {
    SqlConnection conn = await(pool.getConnection());
    try {
      Transaction tx = await(conn.begin());
      T result;
      try {
        result = work.run(conn);
      } catch (RuntimeException e) {
        try {
          await(tx.rollback());
        } catch (RuntimeException rollbackFailed) {
          e.addSuppressed(rollbackFailed);
        }
        throw e;
      }
      await(tx.commit());
      return result;
    } finally {
      await(conn.close());
    }
  }

  /** Blocks the calling (non event-loop) thread for a result; failures are rethrown unwrapped. */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("database call timed out after " + TIMEOUT_SECONDS + " s", e);
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
