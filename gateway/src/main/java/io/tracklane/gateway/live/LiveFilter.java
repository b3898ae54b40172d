package io.tracklane.gateway.live;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which events a live client wants: {@code ?taskId=a,b&riderId=x}. Each parameter may repeat or
 * hold a comma-separated list; an absent parameter means "any". An event matches when its task is
 * one of the tasks asked for (if any were) and its rider one of the riders asked for (if any were).
 */
public record LiveFilter(Set<String> taskIds, Set<String> riderIds) {
  public static final LiveFilter ALL = new LiveFilter(Set.of(), Set.of());

  /** At most this many ids per parameter. */
  public static final int MAX_IDS = 1000;

  public static LiveFilter parse(List<String> taskParams, List<String> riderParams) {
    return new LiveFilter(ids("taskId", taskParams), ids("riderId", riderParams));
  }

  /** This filter narrowed to one rider's events (a rider's own stream). */
  public LiveFilter onlyRider(String riderId) {
    return new LiveFilter(taskIds, Set.of(riderId));
  }

  public boolean matches(String taskId, String riderId) {
    return (taskIds.isEmpty() || (taskId != null && taskIds.contains(taskId)))
        && (riderIds.isEmpty() || (riderId != null && riderIds.contains(riderId)));
  }

  private static Set<String> ids(String name, List<String> params) {
    Set<String> ids = new LinkedHashSet<>();
    if (params == null) return Set.of();
    for (String p : params) {
      for (String id : p.split(",")) {
        String t = id.trim();
        if (!t.isEmpty()) ids.add(t);
      }
    }
    if (ids.size() > MAX_IDS)
      throw new IllegalArgumentException(name + ": at most " + MAX_IDS + " ids");
    return Set.copyOf(ids);
  }
}
