package io.tracklane.core.auth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which role may call which back-office operation: the one place this is decided. The Lambda
 * authorizer builds its IAM policy from it, and local-api enforces that policy the same way API
 * Gateway does. Ownership ("only the claimer", "only their own receipts") is checked by handlers.
 * Paths are API resource templates, as in the OpenAPI document.
 */
public final class Permissions {
  public record Operation(String method, String path) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** Reachable without a token (the authorizer is not attached to these). */
  public static final Set<Operation> PUBLIC =
      Set.of(
          op("POST", "/auth/login"),
          op("POST", "/auth/refresh"),
          op("GET", "/.well-known/jwks.json"));

  private static final List<Operation> ANY_ROLE =
      List.of(
          op("GET", "/me"),
          op("GET", "/routes/{routeId}"),
          op("GET", "/tasks"),
          op("GET", "/tasks/{taskId}"),
          op("GET", "/tasks/{taskId}/track"),
          // receipts: a rider sees only their own (checked by the receipts handler)
          op("GET", "/tasks/{taskId}/receipts"),
          op("GET", "/receipts/{receiptId}"),
          op("GET", "/receipts/{receiptId}/image"));

  private static final List<Operation> MANAGER =
      List.of(
          op("GET", "/routes"),
          op("GET", "/tasks/{taskId}/events"),
          op("GET", "/riders/{riderId}/earnings"),
          // a rider's phone-app devices (names and dates; never a key)
          op("GET", "/riders/{riderId}/devices"),
          op("GET", "/receipts"),
          op("PATCH", "/receipts/{receiptId}"),
          // reports: managers (and admins) list, generate and download them
          op("GET", "/reports"),
          op("POST", "/reports"),
          op("GET", "/reports/{reportId}/download"));

  private static final List<Operation> ADMIN =
      List.of(
          op("GET", "/users"),
          op("POST", "/users"),
          op("GET", "/users/{userId}"),
          op("PATCH", "/users/{userId}"),
          op("POST", "/routes"),
          op("PUT", "/routes/{routeId}"),
          op("DELETE", "/routes/{routeId}"),
          op("POST", "/tasks"),
          op("POST", "/tasks/{taskId}/cancel"),
          // an admin completes a rider's task, overriding the arrival check with a reason
          op("POST", "/tasks/{taskId}/complete"),
          // a completion held for review (ride uploaded in a burst): pay it or turn it down
          op("POST", "/tasks/{taskId}/approve"),
          op("POST", "/tasks/{taskId}/reject"),
          op("POST", "/tasks/expire"),
          // revoke any rider's phone-app device key
          op("DELETE", "/riders/{riderId}/devices/{deviceId}"));

  private static final List<Operation> RIDER =
      List.of(
          op("POST", "/tasks/{taskId}/claim"),
          op("POST", "/tasks/{taskId}/release"),
          op("POST", "/tasks/{taskId}/start"),
          op("POST", "/tasks/{taskId}/complete"),
          op("GET", "/riders/me/earnings"),
          op("GET", "/riders/me/tasks"),
          // device keys for OwnTracks / Traccar Client, the rider's own only
          op("GET", "/riders/me/devices"),
          op("POST", "/riders/me/devices"),
          op("DELETE", "/riders/me/devices/{deviceId}"),
          op("POST", "/tasks/{taskId}/receipts"));

  private static final Map<String, List<Operation>> BY_ROLE =
      Map.of(
          Principal.ADMIN, concat(ANY_ROLE, MANAGER, ADMIN),
          Principal.MANAGER, concat(ANY_ROLE, MANAGER),
          Principal.RIDER, concat(ANY_ROLE, RIDER));

  private Permissions() {}

  public static Operation op(String method, String path) {
    return new Operation(method, path);
  }

  /** Every operation the role may call (empty for an unknown role). */
  public static List<Operation> forRole(String role) {
    return BY_ROLE.getOrDefault(role, List.of());
  }

  public static boolean allows(String role, String method, String resourcePath) {
    Operation wanted = op(method, resourcePath);
    return PUBLIC.contains(wanted) || forRole(role).contains(wanted);
  }

  /** Every operation that needs a token, across roles. */
  public static Set<Operation> protectedOperations() {
    LinkedHashSet<Operation> all = new LinkedHashSet<>();
    BY_ROLE.values().forEach(all::addAll);
    return all;
  }

  @SafeVarargs
  private static List<Operation> concat(List<Operation>... lists) {
    return Arrays.stream(lists).flatMap(List::stream).toList();
  }
}
