package io.tracklane.core.progress;

/**
 * Places each fix on the route: how far along it the rider is and how far off it.
 *
 * <p><b>Window.</b> Once the rider has been placed (an <i>anchor</i>: the last match), the next fix
 * is projected only onto the part of the route from {@code min(anchor, previous anchor) −
 * windowBehindM} to {@code max(anchor, previous anchor) + max(windowAheadM, windowSpeedFactor ×
 * speed × time since the anchor)}. On a route that crosses itself (figure 8) or comes back the same
 * way (out and back) the other passes lie outside the window, so the match never jumps ahead to
 * them nor back from them. Keeping the previous anchor in the window means that a single bad match
 * cannot lose the rider. The search walks the segments of the window only, starting from the
 * anchor's segment: no per-fix scan of the whole route.
 *
 * <p><b>Choice within the window.</b> Where two parts of the route inside the window both come
 * close to the fix (the turn of an out-and-back route, the crossing of a small loop, two sides of a
 * street), the candidate with the lowest cost wins:
 *
 * <pre>
 *   max(0, distance − matchToleranceM)                    distances within the tolerance do not discriminate
 * + continuityWeight × |along − anchor along − moved|     forward along the route by as much as the rider moved
 * + headingWeight × max(0, −movement · segment dir)       not against the direction of the route
 * + backwardWeight × max(0, furthest along − along)       not back from where the rider got to
 * </pre>
 *
 * ({@code moved} and {@code movement}: from the anchor's fix to this one). A noisy fix, or a route
 * drawn or simplified a few metres off the road, easily leans towards the wrong pass, hence the
 * tolerance. The continuity term is a one-step version of the transition term of HMM map matching,
 * biased forward because riders follow their route; measured from the anchor alone it would keep a
 * slow rider who was placed on the wrong leg at the turn of an out-and-back route on that leg,
 * walking it backwards, which the heading and backward terms prevent. The winner is then moved
 * downhill to the nearest point of its own pass, so that a clean fix gets its exact projection.
 * Only candidates within {@code offRouteEnterM} qualify. On a route that does not come back near
 * itself there is a single candidate, and a rider who really goes back is followed back.
 *
 * <p><b>Far fixes and re-acquisition.</b> When nothing in the window is within {@code
 * offRouteEnterM}, the whole route is searched, but only to <i>measure</i> the distance to the
 * route (a rider next to another part of the route is not off it) and to find a re-acquisition
 * candidate within {@code offRouteExitM}. The rider is moved there only when two consecutive fixes
 * agree on it (the second lies within the window of the first): a shortcut, a gap in the fixes or a
 * rider who drove back is followed, a single stray fix never makes the match jump. A far fix does
 * not move the anchor either, unless the caller says the rider is (confirmed) off route, in which
 * case the anchor follows the nearest point of the window so that a rider on a parallel road is
 * tracked.
 *
 * <p><b>Jumps ahead.</b> A match in the window further ahead of the furthest point reached than
 * {@link PlausibleStep} allows is {@link Kind#HELD}: the anchor stays until a second fix confirms
 * the jump (the window then reaches past the held match too). A spike along the route therefore
 * never moves the anchor, nor progress.
 *
 * <p><b>First fix.</b> Before the rider has been placed, a fix is matched to the first pass of the
 * route within {@code offRouteEnterM} (the earliest part of the route that passes there): a rider
 * at the depot of a round trip is at its start, not at its end. Fixes farther than that from the
 * whole route leave the rider unplaced (their along value is informative only).
 *
 * <p>Not thread-safe; allocation-free per fix (results are read from this object after {@link
 * #locate}).
 */
final class RouteMatcher {
  /** How a fix was placed. */
  enum Kind {
    /**
     * Within {@code offRouteEnterM} of the route in the window (or, for the first placement,
     * anywhere).
     */
    MATCHED,
    /** Placed on another part of the route, confirmed by two fixes. */
    REACQUIRED,
    /**
     * Far from the route; the anchor followed the nearest point of the window (rider off route).
     */
    FOLLOWED,
    /** Far from the route and not followed: the along value is informative only. */
    FAR,
    /**
     * Near the route in the window but further ahead than the rider can have got ({@link
     * PlausibleStep}) and not yet confirmed by a second fix: the anchor stays, the along value is
     * informative only.
     */
    HELD
  }

  private final SegmentTable segments;
  private final double enterM;
  private final double exitM;
  private final double behindM;
  private final double aheadM;
  private final double speedFactor;

  private boolean placed;
  private double anchorAlong;
  private double prevAnchorAlong;
  private int anchorSeg;
  private double anchorLat;
  private double anchorLon;
  private double cosRefLat = Double.NaN;
  private double anchorCos;
  private long anchorTs;

  private boolean pending;
  private double pendingAlong;
  private long pendingTs;

  private final PlausibleStep step;
  private boolean jumpPending;
  private double jumpAlong;
  private long jumpTs;

  private final SegmentTable.Query query = new SegmentTable.Query();
  private final SegmentTable.Result near = new SegmentTable.Result();
  private final SegmentTable.Result whole = new SegmentTable.Result();

  private double alongM = Double.NaN;
  private double offRouteM = Double.NaN;

  RouteMatcher(RouteGeometry route, ProgressConfig config) {
    this.segments = route.segments();
    this.enterM = config.offRouteEnterM();
    this.exitM = config.offRouteExitM();
    this.behindM = config.windowBehindM();
    this.aheadM = config.windowAheadM();
    this.speedFactor = config.windowSpeedFactor();
    this.step = new PlausibleStep(config);
    query.toleranceM = config.matchToleranceM();
    query.continuityWeight = config.continuityWeight();
    query.headingWeight = config.headingWeight();
    query.backwardWeight = config.backwardWeight();
  }

  /**
   * {@link #locate(double, double, long, double, double, double, boolean)} for a fix without speed
   * or accuracy.
   */
  Kind locate(double lat, double lon, long ts, double speedMps, boolean followFar) {
    return locate(lat, lon, ts, speedMps, Double.NaN, Double.NaN, followFar);
  }

  /**
   * Places a fix.
   *
   * @param speedMps the rider's smoothed along-route speed, or NaN when unknown
   * @param reportedSpeedMps the fix's own speed, or NaN
   * @param accuracyM the fix's horizontal accuracy, or NaN
   * @param followFar whether a far fix should move the anchor (the rider is confirmed off route)
   */
  Kind locate(
      double lat,
      double lon,
      long ts,
      double speedMps,
      double reportedSpeedMps,
      double accuracyM,
      boolean followFar) {
    if (!placed) return place(lat, lon, ts);
    double lo = Math.min(anchorAlong, prevAnchorAlong) - behindM;
    double hi = Math.max(anchorAlong, prevAnchorAlong) + reach(speedMps, ts - anchorTs);
    if (jumpPending) hi = Math.max(hi, jumpAlong + reach(speedMps, ts - jumpTs));
    int from = anchorSeg;
    while (from > 0 && segments.start(from) > lo) from--;
    int to = anchorSeg;
    int last = segments.count() - 1;
    while (to < last && segments.start(to + 1) <= hi) to++;
    query.anchorAlongM = anchorAlong;
    query.moveEastM = LocalDistance.wrapLon(lon - anchorLon) * LocalDistance.M_PER_DEG * anchorCos;
    query.moveNorthM = (lat - anchorLat) * LocalDistance.M_PER_DEG;
    query.displacementM =
        Math.sqrt(query.moveEastM * query.moveEastM + query.moveNorthM * query.moveNorthM);
    segments.search(lat, lon, from, to, lo, hi, enterM, query, near);
    if (near.found) {
      pending = false;
      offRouteM = near.nearestDistanceM;
      alongM = near.alongM;
      if (near.alongM
              > query.furthestAlongM
                  + step.maxAdvanceM(ts - anchorTs, speedMps, reportedSpeedMps, accuracyM)
          && !(jumpPending && step.confirms(jumpAlong, jumpTs, near.alongM, ts, accuracyM))) {
        jumpPending = true;
        jumpAlong = near.alongM;
        jumpTs = ts;
        return Kind.HELD;
      }
      jumpPending = false;
      moveAnchor(near.alongM, near.segment, lat, lon, ts);
      return Kind.MATCHED;
    }
    segments.searchAll(lat, lon, exitM, query, whole);
    offRouteM = whole.nearestDistanceM;
    if (whole.found) {
      if (pending
          && whole.alongM >= pendingAlong - behindM
          && whole.alongM <= pendingAlong + reach(speedMps, ts - pendingTs)) {
        pending = false;
        resetAnchor(whole.alongM, whole.segment, lat, lon, ts);
        alongM = whole.alongM;
        return Kind.REACQUIRED;
      }
      pending = true;
      pendingAlong = whole.alongM;
      pendingTs = ts;
    } else {
      pending = false;
    }
    jumpPending = false;
    alongM = near.nearestAlongM;
    if (followFar) {
      moveAnchor(near.nearestAlongM, near.nearestSegment, lat, lon, ts);
      return Kind.FOLLOWED;
    }
    return Kind.FAR;
  }

  /**
   * Placement of the first close fix: the first pass of the route near it. Far fixes before that
   * are not placed at all (a rider driving to the start of the route from a depot beside its middle
   * must not be placed at the middle), so progress starts when the rider first comes within {@code
   * offRouteEnterM} of the route.
   */
  private Kind place(double lat, double lon, long ts) {
    segments.firstPass(lat, lon, enterM, whole);
    offRouteM = whole.nearestDistanceM;
    if (whole.found) {
      resetAnchor(whole.alongM, whole.segment, lat, lon, ts);
      alongM = whole.alongM;
      return Kind.MATCHED;
    }
    alongM = whole.nearestAlongM;
    return Kind.FAR;
  }

  /** How far ahead of an anchor set {@code dtMs} ago the window reaches. */
  private double reach(double speedMps, long dtMs) {
    double bySpeed = speedMps > 0 && dtMs > 0 ? speedFactor * speedMps * (dtMs / 1000.0) : 0;
    return Math.max(aheadM, bySpeed);
  }

  private void moveAnchor(double along, int segment, double lat, double lon, long ts) {
    prevAnchorAlong = anchorAlong;
    query.furthestAlongM = Math.max(query.furthestAlongM, along);
    setAnchor(along, segment, lat, lon, ts);
  }

  private void resetAnchor(double along, int segment, double lat, double lon, long ts) {
    placed = true;
    prevAnchorAlong = along;
    query.furthestAlongM = along;
    setAnchor(along, segment, lat, lon, ts);
  }

  private void setAnchor(double along, int segment, double lat, double lon, long ts) {
    anchorAlong = along;
    anchorSeg = segment;
    anchorLat = lat;
    anchorLon = lon;
    anchorTs = ts;
    // The cosine only scales the displacement estimate; refresh it when the latitude has moved ~5
    // km.
    if (!(Math.abs(lat - cosRefLat) < 0.05)) {
      cosRefLat = lat;
      anchorCos = LocalDistance.cosLat(lat);
    }
  }

  /** Whether the rider has been placed on the route yet. */
  boolean placed() {
    return placed;
  }

  /** Metres along the route of the last fix's match (informative only for {@link Kind#FAR}). */
  double alongM() {
    return alongM;
  }

  /**
   * Metres from the last fix to the nearest point of the route (of the window if that was close).
   */
  double offRouteM() {
    return offRouteM;
  }

  /** Metres along the route of the anchor (the current belief of where the rider is). */
  double anchorAlongM() {
    return anchorAlong;
  }
}
