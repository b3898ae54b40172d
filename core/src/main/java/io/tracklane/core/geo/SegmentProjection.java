package io.tracklane.core.geo;

/**
 * The point of a segment closest to some point.
 *
 * @param point the closest point on the segment
 * @param fraction where it lies on the segment, 0 (start) .. 1 (end)
 * @param distanceM haversine distance in metres from the point to {@code point}
 */
public record SegmentProjection(GeoPoint point, double fraction, double distanceM) {}
