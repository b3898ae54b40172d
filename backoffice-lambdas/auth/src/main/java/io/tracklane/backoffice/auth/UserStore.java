package io.tracklane.backoffice.auth;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Database;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.backoffice.common.FieldError;
import io.tracklane.backoffice.common.SqlSession;
import io.tracklane.backoffice.common.Validator;
import io.tracklane.core.StatusChannels;
import io.tracklane.core.auth.Principal;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code users} table: accounts with a bcrypt password hash that never leaves this class (only
 * {@link Credentials} carries it, for login). Text is stored verbatim and only ever bound as a
 * parameter. Also the way other modules create accounts, e.g. seeding a local stack: {@link
 * #seedUser}.
 */
public final class UserStore {
  public static final List<String> ROLES =
      List.of(Principal.ADMIN, Principal.MANAGER, Principal.RIDER);
  public static final int USERNAME_MIN = 3;
  public static final int USERNAME_MAX = 64;
  public static final int DISPLAY_NAME_MAX = 100;
  public static final Pattern USERNAME =
      Pattern.compile("[A-Za-z0-9._@-]{" + USERNAME_MIN + "," + USERNAME_MAX + "}");
  static final String USERNAME_RULE =
      "must be "
          + USERNAME_MIN
          + " to "
          + USERNAME_MAX
          + " characters of letters, digits, '.', '_', '@' or '-'";

  private static final String COLUMNS =
      "id, username, display_name, role, active, created_at, updated_at";

  /** An account as the API shows it: never with its password hash. */
  public record User(
      String id,
      String username,
      String displayName,
      String role,
      boolean active,
      Instant createdAt,
      Instant updatedAt) {
    /** {id, username, displayName, role, active, createdAt, updatedAt} */
    public JsonObject toJson() {
      return summaryJson()
          .put("active", active)
          .put("createdAt", createdAt.toString())
          .put("updatedAt", updatedAt.toString());
    }

    /** {id, username, displayName, role}: the user of a login response. */
    public JsonObject summaryJson() {
      return new JsonObject()
          .put("id", id)
          .put("username", username)
          .put("displayName", displayName)
          .put("role", role);
    }
  }

  /** A user with their password hash, for checking a login; never serialised. */
  public record Credentials(User user, String passwordHash) {
    @Override
    public String toString() {
      return "Credentials[" + user.id() + "]";
    }
  }

  /** One page of users ordered by username; {@code nextCursor} is null on the last page. */
  public record Page(List<User> users, String nextCursor) {}

  /** Changes for {@link #update}; null fields stay as they are. */
  public record Changes(String displayName, String role, Boolean active, String password) {
    public boolean isEmpty() {
      return displayName == null && role == null && active == null && password == null;
    }
  }

  private final Database db;
  private final Clock clock;

  public UserStore(Database db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public UserStore(BackofficeContext ctx) {
    this(ctx.db(), ctx.clock());
  }

  /**
   * Creates the user unless one with {@code username} exists, and returns the account either way
   * (an existing account is left unchanged, password included). For seeding local stacks and tests;
   * throws {@link IllegalArgumentException} naming every invalid value.
   */
  public static User seedUser(
      BackofficeContext ctx, String username, String displayName, String role, String password) {
    return new UserStore(ctx).ensureUser(username, displayName, role, password);
  }

  /** See {@link #seedUser}. */
  public User ensureUser(String username, String displayName, String role, String password) {
    List<FieldError> problems = problems(username, displayName, role, password);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid user: "
              + problems.stream()
                  .map(e -> e.field() + " " + e.message())
                  .reduce((a, b) -> a + "; " + b)
                  .orElse(""));
    }
    Optional<User> existing = findByUsername(username);
    if (existing.isPresent()) return existing.get();
    return insert(username, displayName, role, Passwords.hash(password))
        .or(() -> findByUsername(username))
        .orElseThrow(
            () -> new IllegalStateException("user " + username + " vanished while being created"));
  }

  /** Creates a user: 400 naming every invalid value, 409 if the username is taken. */
  public User create(String username, String displayName, String role, String password) {
    List<FieldError> problems = problems(username, displayName, role, password);
    if (!problems.isEmpty()) throw ApiException.badRequest("invalid user", problems);
    String hash = Passwords.hash(password);
    return insert(username, displayName, role, hash)
        .orElseThrow(() -> ApiException.conflict("username " + username + " is already taken"));
  }

  public Optional<User> findById(String id) {
    return Optional.ofNullable(db.one("SELECT " + COLUMNS + " FROM users WHERE id = $1", id))
        .map(UserStore::user);
  }

  public Optional<User> findByUsername(String username) {
    return Optional.ofNullable(
            db.one("SELECT " + COLUMNS + " FROM users WHERE username = $1", username))
        .map(UserStore::user);
  }

  /** The user and password hash for a login attempt. */
  public Optional<Credentials> credentials(String username) {
    return Optional.ofNullable(
            db.one(
                "SELECT " + COLUMNS + ", password_hash FROM users WHERE username = $1", username))
        .map(r -> new Credentials(user(r), r.getString("password_hash")));
  }

  /**
   * Up to {@code limit} users with usernames after {@code afterUsername} (null: from the start).
   */
  public Page list(int limit, String afterUsername) {
    List<User> users = new ArrayList<>();
    db.query(
            "SELECT "
                + COLUMNS
                + " FROM users WHERE ($1::text IS NULL OR username > $1) "
                + "ORDER BY username LIMIT $2",
            afterUsername,
            limit + 1)
        .forEach(r -> users.add(user(r)));
    String next = null;
    if (users.size() > limit) {
      users.remove(users.size() - 1);
      next = users.get(users.size() - 1).username();
    }
    return new Page(users, next);
  }

  /**
   * Applies {@code changes}; empty if there is no such user. A new password or a deactivation also
   * ends every session of the user (their refresh tokens are deleted, so a later attempt to use one
   * is simply unknown rather than mistaken for token theft). A change of {@code active} is
   * announced on {@link StatusChannels#USER_STATUS}, payload {@code {"userId","active","at"}}
   * (delivered only if the transaction commits), so the gateway ends a deactivated user's device
   * sessions within seconds, access tokens still valid or not.
   */
  public Optional<User> update(String id, Changes changes) {
    String hash = changes.password() == null ? null : Passwords.hash(changes.password());
    OffsetDateTime now = utc(clock.instant());
    // The statement text is fixed; only the bind values vary (null keeps a column as it is).
    return db.inTransaction(
        sql -> {
          Optional<User> updated =
              Optional.ofNullable(
                      sql.one(
                          "UPDATE users SET display_name = COALESCE($2, display_name), role = COALESCE($3, role), "
                              + "active = COALESCE($4, active), password_hash = COALESCE($5, password_hash), updated_at = $6 "
                              + "WHERE id = $1 RETURNING "
                              + COLUMNS,
                          id,
                          changes.displayName(),
                          changes.role(),
                          changes.active(),
                          hash,
                          now))
                  .map(UserStore::user);
          if (updated.isEmpty()) return updated;
          if (hash != null || Boolean.FALSE.equals(changes.active())) deleteRefreshTokens(sql, id);
          if (changes.active() != null) notifyStatus(sql, updated.get(), now.toInstant());
          return updated;
        });
  }

  private static void notifyStatus(SqlSession sql, User user, Instant at) {
    sql.query(
        "SELECT pg_notify('" + StatusChannels.USER_STATUS + "', $1)",
        statusJson(user.id(), user.active(), at));
  }

  /** {@code {"userId", "active", "at"}}: at is ISO-8601 UTC. */
  static String statusJson(String userId, boolean active, Instant at) {
    return new JsonObject()
        .put("userId", userId)
        .put("active", active)
        .put("at", at.toString())
        .encode();
  }

  /** Every problem with the values of a new user, each naming its field. */
  public static List<FieldError> problems(
      String username, String displayName, String role, String password) {
    List<FieldError> errors = new ArrayList<>();
    if (username == null || !USERNAME.matcher(username).matches())
      errors.add(new FieldError("username", USERNAME_RULE));
    if (displayName == null || displayName.isBlank()) {
      errors.add(new FieldError("displayName", "must not be blank"));
    } else if (displayName.length() > DISPLAY_NAME_MAX) {
      errors.add(
          new FieldError("displayName", "must be at most " + DISPLAY_NAME_MAX + " characters"));
    } else if (displayName.indexOf('\u0000') >= 0) {
      errors.add(new FieldError("displayName", "must not contain NUL characters"));
    }
    if (role == null || !ROLES.contains(role))
      errors.add(new FieldError("role", "must be one of " + ROLES));
    String pw = Passwords.problem(password);
    if (pw != null) errors.add(new FieldError("password", pw));
    return errors;
  }

  /** Validates {@code username} of a request body into {@code v}. */
  static String validateUsername(Validator v, String field, boolean required) {
    String username = v.string(field, required, USERNAME_MAX);
    if (username != null && !USERNAME.matcher(username).matches()) {
      v.error(field, USERNAME_RULE);
      return null;
    }
    return username;
  }

  static void deleteRefreshTokens(SqlSession sql, String userId) {
    sql.update("DELETE FROM refresh_tokens WHERE user_id = $1", userId);
  }

  private Optional<User> insert(
      String username, String displayName, String role, String passwordHash) {
    OffsetDateTime now = utc(clock.instant());
    return Optional.ofNullable(
            db.one(
                "INSERT INTO users (username, display_name, role, password_hash, active, created_at, updated_at) "
                    + "VALUES ($1, $2, $3, $4, true, $5, $5) ON CONFLICT (username) DO NOTHING RETURNING "
                    + COLUMNS,
                username,
                displayName,
                role,
                passwordHash,
                now))
        .map(UserStore::user);
  }

  static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  static User user(DbRow r) {
    return new User(
        r.getString("id"),
        r.getString("username"),
        r.getString("display_name"),
        r.getString("role"),
        r.getBoolean("active"),
        r.getOffsetDateTime("created_at").toInstant(),
        r.getOffsetDateTime("updated_at").toInstant());
  }
}
