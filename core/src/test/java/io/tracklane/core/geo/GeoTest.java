package io.tracklane.core.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GeoTest {
  static final GeoPoint PEOPLES_SQUARE = GeoPoint.of(31.2304, 121.4737);
  static final GeoPoint THE_BUND = GeoPoint.of(31.2400, 121.4900);

  @Test
  void peoplesSquareToTheBund() {
    // Haversine on the mean-radius sphere: 1881.82 m. The WGS-84 geodesic (Vincenty) is 1882.65 m.
    double d = Geo.haversine(PEOPLES_SQUARE, THE_BUND);
    assertEquals(1881.82, d, 0.05);
    assertEquals(1882.65, d, 1882.65 * 0.005);
    assertEquals(d, THE_BUND.distanceTo(PEOPLES_SQUARE), 1e-9, "symmetric");
  }

  @Test
  void matchesThePublishedNashvilleToLosAngelesFigure() {
    // The classic worked example: BNA (36.12, -86.67) to LAX (33.94, -118.40) is 2887.2599506 km
    // on a sphere of radius 6372.8 km. The central angle does not depend on the radius.
    double d = Geo.haversine(36.12, -86.67, 33.94, -118.40);
    assertEquals(2_887_259.9506, d / Geo.EARTH_RADIUS_M * 6_372_800.0, 0.01);
  }

  @Test
  void oneDegreeAlongTheEquatorAndAcrossTheAntimeridian() {
    double oneDegree = Math.toRadians(1) * Geo.EARTH_RADIUS_M; // 111,195.08 m
    assertEquals(111_195.08, oneDegree, 0.01);
    assertEquals(oneDegree, Geo.haversine(0, 0, 0, 1), 1e-6);
    assertEquals(oneDegree, Geo.haversine(0, 179.5, 0, -179.5), 1e-6);
    assertEquals(0.0, Geo.haversine(PEOPLES_SQUARE, PEOPLES_SQUARE));
    assertEquals(Math.PI * Geo.EARTH_RADIUS_M, Geo.haversine(90, 0, -90, 0), 1e-6, "pole to pole");
  }

  @Test
  void lengthSumsTheSegments() {
    GeoPoint mid = GeoPoint.of(31.2360, 121.4820);
    double expected = Geo.haversine(PEOPLES_SQUARE, mid) + Geo.haversine(mid, THE_BUND);
    assertEquals(expected, Geo.length(List.of(PEOPLES_SQUARE, mid, mid, THE_BUND)), 1e-9);
    assertEquals(0.0, Geo.length(List.of(PEOPLES_SQUARE)));
    assertEquals(0.0, Geo.length(List.of()));
  }

  @Test
  void pointBesideASegmentProjectsPerpendicularly() {
    GeoPoint a = GeoPoint.of(0, 0);
    GeoPoint b = GeoPoint.of(0, 0.01);
    SegmentProjection s = Geo.projectOntoSegment(GeoPoint.of(0.001, 0.005), a, b);
    assertEquals(0.5, s.fraction(), 1e-9);
    assertEquals(0.0, s.point().lat(), 1e-12);
    assertEquals(0.005, s.point().lon(), 1e-12);
    assertEquals(111.195, s.distanceM(), 0.001);
  }

  @Test
  void pointBeforeTheStartOrBeyondTheEndProjectsOntoTheEndpoint() {
    GeoPoint a = GeoPoint.of(0, 0);
    GeoPoint b = GeoPoint.of(0, 0.01);
    SegmentProjection before = Geo.projectOntoSegment(GeoPoint.of(0, -0.002), a, b);
    assertEquals(0.0, before.fraction());
    assertSame(a, before.point());
    assertEquals(222.39, before.distanceM(), 0.01);

    GeoPoint p = GeoPoint.of(0.001, 0.012);
    SegmentProjection beyond = Geo.projectOntoSegment(p, a, b);
    assertEquals(1.0, beyond.fraction());
    assertSame(b, beyond.point());
    assertEquals(Geo.haversine(p, b), beyond.distanceM(), 1e-9);
    assertEquals(Math.hypot(111.195, 222.39), beyond.distanceM(), 0.05);
  }

  @Test
  void cityScaleOffsetIsMetricallyAccurate() {
    // An east-west street in Shanghai and a point 100 m north of its middle.
    GeoPoint a = GeoPoint.of(31.23, 121.47);
    GeoPoint b = GeoPoint.of(31.23, 121.49);
    double northDegrees = 100.0 / (Math.toRadians(1) * Geo.EARTH_RADIUS_M);
    SegmentProjection s = Geo.projectOntoSegment(GeoPoint.of(31.23 + northDegrees, 121.48), a, b);
    assertEquals(0.5, s.fraction(), 1e-6);
    assertEquals(100.0, s.distanceM(), 0.05);

    // A diagonal segment (People's Square to the Bund) and a point 150 m off its middle, at right
    // angles.
    double kx =
        Math.toRadians(1) * Geo.EARTH_RADIUS_M * Math.cos(Math.toRadians((31.2304 + 31.24) / 2));
    double ky = Math.toRadians(1) * Geo.EARTH_RADIUS_M;
    double ex = (121.49 - 121.4737) * kx;
    double ey = (31.24 - 31.2304) * ky;
    double len = Math.hypot(ex, ey);
    double nx = -ey / len * 150; // left normal, metres
    double ny = ex / len * 150;
    GeoPoint off = GeoPoint.of((31.2304 + 31.24) / 2 + ny / ky, (121.4737 + 121.49) / 2 + nx / kx);
    SegmentProjection d = Geo.projectOntoSegment(off, GeoTest.PEOPLES_SQUARE, GeoTest.THE_BUND);
    assertEquals(0.5, d.fraction(), 1e-3);
    assertEquals(150.0, d.distanceM(), 0.5);
  }

  @Test
  void segmentAcrossTheAntimeridian() {
    GeoPoint a = GeoPoint.of(10, 179.99);
    GeoPoint b = GeoPoint.of(10, -179.99);
    SegmentProjection s = Geo.projectOntoSegment(GeoPoint.of(10.001, 180), a, b);
    assertEquals(0.5, s.fraction(), 1e-6);
    assertEquals(180.0, Math.abs(s.point().lon()), 1e-9);
    assertEquals(111.195, s.distanceM(), 0.01);
    SegmentProjection t = Geo.projectOntoSegment(GeoPoint.of(10, -179.995), a, b);
    assertEquals(0.75, t.fraction(), 1e-6);
    assertEquals(-179.995, t.point().lon(), 1e-9);
    assertEquals(0.0, t.distanceM(), 1e-6);
  }

  @Test
  void zeroLengthSegmentIsItsPoint() {
    GeoPoint a = GeoPoint.of(31.23, 121.47);
    SegmentProjection s = Geo.projectOntoSegment(THE_BUND, a, a);
    assertEquals(0.0, s.fraction());
    assertEquals(Geo.haversine(THE_BUND, a), s.distanceM(), 1e-9);
  }

  @Test
  void restrictedProjectionStaysAfterTheMinimumFraction() {
    GeoPoint a = GeoPoint.of(0, 0);
    GeoPoint b = GeoPoint.of(0, 0.01);
    SegmentProjection s = Geo.projectOntoSegment(GeoPoint.of(0.001, 0.002), a, b, 0.5);
    assertEquals(0.5, s.fraction(), 1e-12);
    assertEquals(Geo.haversine(0.001, 0.002, 0, 0.005), s.distanceM(), 1e-9);
  }

  @Test
  void geoPointRejectsImpossiblePositions() {
    assertThrows(IllegalArgumentException.class, () -> GeoPoint.of(90.0001, 0));
    assertThrows(IllegalArgumentException.class, () -> GeoPoint.of(0, -180.0001));
    assertThrows(IllegalArgumentException.class, () -> GeoPoint.of(Double.NaN, 0));
    assertThrows(IllegalArgumentException.class, () -> GeoPoint.of(0, Double.POSITIVE_INFINITY));
    assertTrue(GeoPoint.isValid(-90, 180));
    assertFalse(GeoPoint.isValid(121.47, 31.23), "a [lon, lat] pair read as (lat, lon)");
    assertEquals(GeoPoint.of(31.23, 121.47), GeoPoint.fromLonLat(121.47, 31.23));
  }

  @Test
  void wrapsLongitudes() {
    assertEquals(-179.5, Geo.wrapLon(180.5), 1e-9);
    assertEquals(179.5, Geo.wrapLon(-180.5), 1e-9);
    assertEquals(180.0, Geo.wrapLon(180.0));
    assertEquals(-180.0, Geo.wrapLon(-180.0));
    assertEquals(180.0, Geo.wrapLon(540.0));
    assertEquals(1.0, Geo.wrapLon(361.0), 1e-9);
  }
}
