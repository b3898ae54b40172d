package io.tracklane.backoffice.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategy;
import io.tracklane.backoffice.common.Validator;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Password hashing (bcrypt, cost 10) and the password policy (8..128 characters). Passwords longer
 * than bcrypt's 72-byte input are pre-hashed with SHA-512 rather than silently truncated, so two
 * long passwords sharing a prefix never collide. Verification compares in constant time; for an
 * unknown user {@link #dummyVerify} costs the same as a real check, so response times do not reveal
 * which usernames exist.
 */
public final class Passwords {
  public static final int COST = 10;
  public static final int MIN_LENGTH = 8;
  public static final int MAX_LENGTH = 128;

  private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;
  private static final LongPasswordStrategy LONG = LongPasswordStrategies.hashSha512(VERSION);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A hash of a random secret nobody knows, verified against for unknown usernames. */
  private static final String DUMMY_HASH = hash(randomSecret());

  private Passwords() {}

  public static String hash(String password) {
    return BCrypt.with(VERSION, RANDOM, LONG).hashToString(COST, password.toCharArray());
  }

  /**
   * True if {@code password} matches {@code hash} (constant-time comparison); false for a malformed
   * hash.
   */
  public static boolean verify(String password, String hash) {
    if (password == null || hash == null) return false;
    BCrypt.Result result =
        BCrypt.verifyer(VERSION, LONG).verify(password.toCharArray(), hash.toCharArray());
    return result.validFormat && result.verified;
  }

  /** Spends the time of one {@link #verify} and always fails: for usernames that do not exist. */
  public static boolean dummyVerify(String password) {
    verify(password == null ? "" : password, DUMMY_HASH);
    return false;
  }

  /**
   * Checks the policy for {@code field} of {@code body}, adding any problem to {@code v}; returns
   * the password, or null when absent or invalid.
   */
  public static String validate(Validator v, JsonObject body, String field, boolean required) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) v.error(field, "is required");
      return null;
    }
    if (!(value instanceof String s)) {
      v.error(field, "must be a string");
      return null;
    }
    String problem = problem(s);
    if (problem != null) {
      v.error(field, problem);
      return null;
    }
    return s;
  }

  /** What is wrong with a new password under the policy, or null if it is acceptable. */
  public static String problem(String password) {
    if (password == null) return "is required";
    int length = password.codePointCount(0, password.length());
    if (length < MIN_LENGTH) return "must be at least " + MIN_LENGTH + " characters";
    if (length > MAX_LENGTH) return "must be at most " + MAX_LENGTH + " characters";
    if (password.isBlank()) return "must not be blank";
    if (password.indexOf('\u0000') >= 0) return "must not contain NUL characters";
    return null;
  }

  private static String randomSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
