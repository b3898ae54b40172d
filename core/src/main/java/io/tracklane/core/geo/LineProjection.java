package io.tracklane.core.geo;

/**
 * Where a point meets a {@link Polyline}: the closest point on the line and how far along the line
 * it is.
 *
 * @param point the closest point on the line
 * @param segmentIndex the segment it lies on: {@code i} is the segment from vertex i to vertex i+1
 * @param fraction where it lies on that segment, 0..1
 * @param distanceAlongM metres from the start of the line to {@code point}, following the line
 * @param distanceM metres from the point to {@code point} (off-line distance)
 */
public record LineProjection(
    GeoPoint point, int segmentIndex, double fraction, double distanceAlongM, double distanceM) {}
