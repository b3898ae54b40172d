package io.tracklane.backoffice.auth;

import io.tracklane.backoffice.common.Database;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Login throttling per username ({@code login_failures}): after {@link #MAX_FAILURES} failures,
 * each within {@link #WINDOW} of the previous one, the username is locked for {@link #LOCK}; while
 * locked, attempts are refused without checking the password. A success clears the record. The
 * count is kept per username as typed, so guessing at a name that does not exist is throttled
 * exactly like guessing at one that does.
 */
final class LoginThrottle {
  static final int MAX_FAILURES = 5;
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final Duration LOCK = Duration.ofMinutes(15);

  private final Database db;
  private final Clock clock;

  LoginThrottle(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** How long the username stays locked, if it is locked now. */
  Optional<Duration> lockedFor(String username) {
    Instant now = clock.instant();
    RowSet<Row> rows = Database.await(db.pool()
        .preparedQuery("SELECT locked_until FROM login_failures WHERE username = $1 AND locked_until > $2")
        .execute(Tuple.of(username, UserStore.utc(now))));
    if (rows.size() == 0) return Optional.empty();
    return Optional.of(Duration.between(now, rows.iterator().next().getOffsetDateTime("locked_until").toInstant()));
  }

  /**
   * Counts a failure (atomically, so concurrent attempts all count): a failure long after the
   * previous one, or after a lock has passed, starts a new count. Returns the lock if this
   * failure set one.
   */
  Optional<Duration> recordFailure(String username) {
    Instant now = clock.instant();
    OffsetDateTime at = UserStore.utc(now);
    OffsetDateTime windowStart = UserStore.utc(now.minus(WINDOW));
    OffsetDateTime lockUntil = UserStore.utc(now.plus(LOCK));
    RowSet<Row> rows = Database.await(db.pool().preparedQuery(
            "INSERT INTO login_failures AS f (username, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, NULL) "
                + "ON CONFLICT (username) DO UPDATE SET "
                + "failures = CASE WHEN f.last_failure_at < $3 OR f.locked_until <= $2 THEN 1 ELSE f.failures + 1 END, "
                + "last_failure_at = $2, "
                + "locked_until = CASE WHEN f.last_failure_at < $3 OR f.locked_until <= $2 THEN NULL "
                + "  WHEN f.failures + 1 >= $4 THEN $5 ELSE f.locked_until END "
                + "RETURNING failures, locked_until")
        .execute(Tuple.of(username, at, windowStart, MAX_FAILURES, lockUntil)));
    Row row = rows.iterator().next();
    OffsetDateTime locked = row.getOffsetDateTime("locked_until");
    return locked == null || !locked.toInstant().isAfter(now) ? Optional.empty()
        : Optional.of(Duration.between(now, locked.toInstant()));
  }

  /** A successful login clears the username's record. */
  void reset(String username) {
    Database.await(db.pool().preparedQuery("DELETE FROM login_failures WHERE username = $1").execute(Tuple.of(username)));
  }
}
