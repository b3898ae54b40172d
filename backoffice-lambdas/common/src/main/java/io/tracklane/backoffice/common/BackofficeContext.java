package io.tracklane.backoffice.common;

import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * A container's init-phase dependencies, built once and shared by every handler in the JVM: one
 * Vert.x instance (for the Postgres client) and one pool. In Lambda, each function's default
 * constructor calls {@link #fromEnv()}; local-api builds one context for all handlers.
 */
public final class BackofficeContext implements AutoCloseable {
  private static BackofficeContext fromEnv;

  private final Vertx vertx;
  private final BackofficeConfig config;
  private final Database db;
  private final Clock clock;

  public BackofficeContext(Vertx vertx, BackofficeConfig config, Database db, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.db = db;
    this.clock = clock;
  }

  public static BackofficeContext create(BackofficeConfig config) {
    Vertx vertx = Vertx.vertx();
    return new BackofficeContext(vertx, config, Database.create(vertx, config), Clock.systemUTC());
  }

  /** The process-wide context from the environment (Lambda). */
  public static synchronized BackofficeContext fromEnv() {
    if (fromEnv == null) fromEnv = create(BackofficeConfig.fromEnv());
    return fromEnv;
  }

  public Vertx vertx() {
    return vertx;
  }

  public BackofficeConfig config() {
    return config;
  }

  public Database db() {
    return db;
  }

  public Clock clock() {
    return clock;
  }

  @Override
  public void close() {
    db.close();
    vertx.close();
  }
}
