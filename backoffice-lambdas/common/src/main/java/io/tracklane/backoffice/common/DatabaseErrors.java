package io.tracklane.backoffice.common;

import java.sql.SQLException;
import java.util.List;

/**
 * Turns a database failure that reached {@link ApiHandler} into an answer that says what kind of
 * problem it was and nothing of Postgres's own text (table, column and constraint names, values,
 * SQLSTATEs): the details go to the log with the request id. Violations the request caused keep a
 * 409 or 400; everything else is a 500.
 */
final class DatabaseErrors {
  private DatabaseErrors() {}

  /** The SQLSTATE of the first database failure among {@code e} and its causes, or null. */
  static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DatabaseException db && db.sqlState() != null) return db.sqlState();
      if (t instanceof SQLException sql && sql.getSQLState() != null) return sql.getSQLState();
    }
    return null;
  }

  /** The client's answer for a known SQLSTATE the request caused, or null for a server fault. */
  static ApiException forClient(String state) {
    if (state == null) return null;
    return switch (state) {
      case "23505" -> new ApiException(409, "conflict", "already exists", List.of());
      case "23503" ->
          ApiException.badRequest(
              "the request refers to something that does not exist or is still in use");
      case "23514", "23502" ->
          ApiException.badRequest("a value in the request is not allowed here");
      case "22P02", "22007", "22008" ->
          ApiException.badRequest("a value in the request is not in the expected format");
      case "22001", "22003" ->
          ApiException.badRequest("a value in the request is too long or out of range");
      default -> null;
    };
  }
}
