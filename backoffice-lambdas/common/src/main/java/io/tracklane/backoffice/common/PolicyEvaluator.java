package io.tracklane.backoffice.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluates an authorizer's IAM policy against a request's {@code methodArn} the way API Gateway
 * does: a matching {@code Deny} wins, else a matching {@code Allow} allows, else it is denied.
 * Resources and actions may use IAM wildcards ({@code *} any run of characters, {@code /} included;
 * {@code ?} one character). {@code Condition}, {@code NotAction} and {@code NotResource} are not
 * supported (statements using the latter two never match). The one evaluator of the back office:
 * the authorizer checks its own policies with it, and local-api enforces them with it as API
 * Gateway would.
 */
public final class PolicyEvaluator {
  public static final String INVOKE_ACTION = "execute-api:Invoke";

  public enum Decision {
    ALLOW,
    EXPLICIT_DENY,
    IMPLICIT_DENY
  }

  private PolicyEvaluator() {}

  /**
   * @param policyDocument the serialized policy ({@code IamPolicyResponse#getPolicyDocument()}:
   *     {@code Version}, {@code Statement} as a list or array of maps with {@code Effect}, {@code
   *     Action}, {@code Resource})
   */
  public static Decision evaluate(Map<String, Object> policyDocument, String methodArn) {
    boolean allowed = false;
    for (Object s : asList(policyDocument.get("Statement"))) {
      if (!(s instanceof Map<?, ?> statement)) continue;
      if (statement.containsKey("NotAction") || statement.containsKey("NotResource")) continue;
      boolean actionMatches =
          asList(statement.get("Action")).stream()
              .anyMatch(
                  a ->
                      a instanceof String p
                          && matches(
                              p.toLowerCase(Locale.ROOT), INVOKE_ACTION.toLowerCase(Locale.ROOT)));
      boolean resourceMatches =
          asList(statement.get("Resource")).stream()
              .anyMatch(r -> r instanceof String p && matches(p, methodArn));
      if (!actionMatches || !resourceMatches) continue;
      Object effect = statement.get("Effect");
      if ("Deny".equalsIgnoreCase(String.valueOf(effect))) return Decision.EXPLICIT_DENY;
      if ("Allow".equalsIgnoreCase(String.valueOf(effect))) allowed = true;
    }
    return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
  }

  /**
   * IAM wildcard match: {@code *} any sequence (possibly empty), {@code ?} exactly one character.
   */
  public static boolean matches(String pattern, String value) {
    int p = 0, v = 0, star = -1, mark = 0;
    while (v < value.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))) {
        p++;
        v++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = v;
      } else if (star >= 0) {
        p = star + 1;
        v = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') p++;
    return p == pattern.length();
  }

  private static List<?> asList(Object value) {
    if (value == null) return List.of();
    if (value instanceof List<?> l) return l;
    if (value instanceof Object[] a) return Arrays.asList(a);
    List<Object> one = new ArrayList<>();
    one.add(value);
    return one;
  }
}
