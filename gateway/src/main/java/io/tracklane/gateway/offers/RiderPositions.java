package io.tracklane.gateway.offers;

import java.util.HashMap;
import java.util.Map;

/**
 * Each rider's latest fix, from the live stream's {@code fix} events, so an offer can say how far
 * the route's start is. Only positions younger than {@code maxAgeMs} (by the fix's own time) count;
 * older ones are pruned. On the gateway's event loop only.
 */
final class RiderPositions {
  /** Where a rider was at {@code ts} (epoch ms). */
  record Position(double lat, double lon, long ts) {}

  private final long maxAgeMs;
  private final Map<String, Position> latest = new HashMap<>();

  RiderPositions(long maxAgeMs) {
    this.maxAgeMs = maxAgeMs;
  }

  /** Keeps the fix if it is the rider's newest. */
  void update(String riderId, double lat, double lon, long ts) {
    Position had = latest.get(riderId);
    if (had == null || had.ts() < ts) latest.put(riderId, new Position(lat, lon, ts));
  }

  /** The rider's position if recent at {@code nowMs}, else null. */
  Position recent(String riderId, long nowMs) {
    Position p = latest.get(riderId);
    return p != null && nowMs - p.ts() <= maxAgeMs ? p : null;
  }

  /** Forgets positions too old to be used. */
  void prune(long nowMs) {
    latest.values().removeIf(p -> nowMs - p.ts() > maxAgeMs);
  }

  int size() {
    return latest.size();
  }
}
