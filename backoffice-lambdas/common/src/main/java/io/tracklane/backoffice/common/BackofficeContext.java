package io.tracklane.backoffice.common;

import java.time.Clock;

/**
 * A container's init-phase dependencies, built once and shared by every handler in the JVM: the
 * configuration, one Postgres pool and the clock. In Lambda, each function's default constructor
 * calls {@link #fromEnv()}; local-api builds one context for all handlers.
 */
public final class BackofficeContext implements AutoCloseable {
  private static BackofficeContext fromEnv;

  private final BackofficeConfig config;
  private final Database db;
  private final Clock clock;

  public BackofficeContext(BackofficeConfig config, Database db, Clock clock) {
    this.config = config;
    this.db = db;
    this.clock = clock;
  }

  public static BackofficeContext create(BackofficeConfig config) {
    return new BackofficeContext(config, Database.create(config), Clock.systemUTC());
  }

  /** The process-wide context from the environment (Lambda). */
  public static synchronized BackofficeContext fromEnv() {
    if (fromEnv == null) fromEnv = create(BackofficeConfig.fromEnv());
    return fromEnv;
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
  }
}
