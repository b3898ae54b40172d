package io.tracklane.gateway.access;

import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;

/** Fixed task → rider assignments, all in progress. For development and tests only. */
public final class StaticTaskAccess implements TaskAccess {
  private final Map<String, String> riderByTask;

  public StaticTaskAccess(Map<String, String> riderByTask) {
    this.riderByTask = Map.copyOf(riderByTask);
  }

  /** Parses {@code task-1=rider-1,task-2=rider-2}. */
  public static StaticTaskAccess parse(String spec) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : spec.split(",")) {
      String p = pair.trim();
      if (p.isEmpty()) continue;
      int eq = p.indexOf('=');
      if (eq <= 0 || eq == p.length() - 1) {
        throw new IllegalArgumentException(
            "task assignment must be taskId=riderId, got '" + p + "'");
      }
      map.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
    }
    return new StaticTaskAccess(map);
  }

  public Map<String, String> assignments() {
    return riderByTask;
  }

  @Override
  public Future<Decision> check(String riderId, String taskId) {
    String owner = riderByTask.get(taskId);
    if (owner == null) return Future.succeededFuture(Decision.UNKNOWN_TASK);
    return Future.succeededFuture(
        owner.equals(riderId) ? Decision.ALLOWED : Decision.NOT_ASSIGNED_TO_RIDER);
  }
}
