package io.tracklane.backoffice.auth;

import io.tracklane.backoffice.common.Database;
import io.tracklane.backoffice.common.DbRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Login throttling per username and source address ({@code login_failures}): after {@link
 * #MAX_FAILURES} failures from one address, each within {@link #WINDOW} of the previous one, that
 * username is locked for {@link #LOCK} <em>from that address</em>; while locked, attempts from
 * there are refused without checking the password. Someone guessing from one address therefore
 * never locks the account's owner out elsewhere. A success clears the pair's record. Counting per
 * username as typed throttles guesses at names that do not exist exactly like guesses at names that
 * do.
 *
 * <p>Every row carries {@code expires_at} (the end of its window or lock, whichever is later): past
 * it the row counts for nothing, and each recorded failure deletes the expired rows, so the table
 * holds at most the failures of the last window.
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

  /** How long the username stays locked for {@code sourceIp}, if it is locked now. */
  Optional<Duration> lockedFor(String username, String sourceIp) {
    Instant now = clock.instant();
    DbRow row =
        db.one(
            "SELECT locked_until FROM login_failures WHERE username = $1 AND source_ip = $2 "
                + "AND locked_until > $3",
            username,
            sourceIp,
            UserStore.utc(now));
    if (row == null) return Optional.empty();
    return Optional.of(Duration.between(now, row.getOffsetDateTime("locked_until").toInstant()));
  }

  /**
   * Counts a failure (atomically, so concurrent attempts all count): a failure long after the
   * previous one, or after a lock has passed, starts a new count. Returns the lock if this failure
   * set one. Prunes expired rows first.
   */
  Optional<Duration> recordFailure(String username, String sourceIp) {
    Instant now = clock.instant();
    OffsetDateTime at = UserStore.utc(now);
    prune(now);
    String restart =
        "f.last_failure_at < $5 OR f.locked_until <= $3"; // window passed, or the lock is over
    String lockedUntil =
        "CASE WHEN "
            + restart
            + " THEN NULL WHEN f.failures + 1 >= $6 THEN $7 ELSE f.locked_until END";
    DbRow row =
        db.one(
            "INSERT INTO login_failures AS f (username, source_ip, failures, last_failure_at, locked_until, expires_at) "
                + "VALUES ($1, $2, 1, $3, NULL, $4) "
                + "ON CONFLICT (username, source_ip) DO UPDATE SET "
                + "failures = CASE WHEN "
                + restart
                + " THEN 1 ELSE f.failures + 1 END, "
                + "last_failure_at = $3, "
                + "locked_until = "
                + lockedUntil
                + ", "
                + "expires_at = GREATEST($4, "
                + lockedUntil
                + ") " // GREATEST skips a NULL lock
                + "RETURNING failures, locked_until",
            username,
            sourceIp,
            at,
            UserStore.utc(now.plus(WINDOW)),
            UserStore.utc(now.minus(WINDOW)),
            MAX_FAILURES,
            UserStore.utc(now.plus(LOCK)));
    OffsetDateTime locked = row.getOffsetDateTime("locked_until");
    return locked == null || !locked.toInstant().isAfter(now)
        ? Optional.empty()
        : Optional.of(Duration.between(now, locked.toInstant()));
  }

  /** A successful login clears the record of this username from this address (not from others). */
  void reset(String username, String sourceIp) {
    db.update(
        "DELETE FROM login_failures WHERE username = $1 AND source_ip = $2", username, sourceIp);
  }

  /** Deletes rows whose window and lock have both passed; returns how many. */
  int prune(Instant now) {
    return db.update("DELETE FROM login_failures WHERE expires_at <= $1", UserStore.utc(now));
  }
}
