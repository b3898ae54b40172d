package io.tracklane.backoffice.common;

import java.sql.SQLException;

/**
 * A failed database call, unchecked so handlers need not declare it. Carries the SQLSTATE for
 * {@link DatabaseErrors}; the message is the driver's and goes only to the log.
 */
public final class DatabaseException extends RuntimeException {
  private final String sqlState;

  public DatabaseException(SQLException cause) {
    super(cause.getMessage(), cause);
    this.sqlState = cause.getSQLState();
  }

  /** The SQLSTATE (e.g. 23505 for a duplicate key), or null when the failure had none. */
  public String sqlState() {
    return sqlState;
  }
}
