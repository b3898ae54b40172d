package io.tracklane.core.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolylineTest {
  /** 0.01° of longitude on the equator. */
  static final double STEP = Math.toRadians(0.01) * Geo.EARTH_RADIUS_M; // 1111.95 m

  static GeoPoint eq(double lon) {
    return GeoPoint.of(0, lon);
  }

  @Test
  void lengthAndCumulativeDistances() {
    // East along the equator, then north: an L.
    Polyline line = Polyline.of(eq(0), eq(0.01), eq(0.01), GeoPoint.of(0.02, 0.01));
    assertEquals(3, line.segmentCount());
    assertEquals(3 * STEP, line.lengthM(), 1e-6);
    assertEquals(STEP, line.distanceAlongAtVertex(1), 1e-6);
    assertEquals(STEP, line.distanceAlongAtVertex(2), 1e-6);
    assertEquals(0.0, line.segmentLengthM(1));
    assertEquals(2 * STEP, line.segmentLengthM(2), 1e-6);
  }

  @Test
  void nearestReportsSegmentFractionAndDistanceAlong() {
    Polyline line = Polyline.of(eq(0), eq(0.01), GeoPoint.of(0.02, 0.01));
    // 100-odd metres east of the northbound leg, a quarter of the way up it.
    LineProjection p = line.nearest(GeoPoint.of(0.005, 0.011));
    assertEquals(1, p.segmentIndex());
    assertEquals(0.25, p.fraction(), 1e-6);
    assertEquals(STEP + 0.25 * 2 * STEP, p.distanceAlongM(), 1e-3);
    assertEquals(111.195, p.distanceM(), 0.01);
    assertEquals(0.005, p.point().lat(), 1e-9);

    // Before the start: the first vertex.
    LineProjection start = line.nearest(eq(-0.001));
    assertEquals(0, start.segmentIndex());
    assertEquals(0.0, start.fraction());
    assertEquals(0.0, start.distanceAlongM());
    assertEquals(111.195, start.distanceM(), 0.01);

    // Beyond the end: the last vertex.
    LineProjection end = line.nearest(GeoPoint.of(0.025, 0.01));
    assertEquals(1, end.segmentIndex());
    assertEquals(1.0, end.fraction());
    assertEquals(line.lengthM(), end.distanceAlongM(), 1e-9);
    assertEquals(5 * 111.195, end.distanceM(), 0.05);
  }

  @Test
  void nearestFromADistanceAlongIgnoresWhatCameBefore() {
    // Out and back along the equator: 0 → 0.02 → 0.
    Polyline line = Polyline.of(eq(0), eq(0.02), eq(0));
    GeoPoint quarter = GeoPoint.of(0.0001, 0.005);
    assertEquals(0.5 * STEP, line.nearest(quarter).distanceAlongM(), 1e-3, "first pass by default");
    LineProjection back = line.nearest(quarter, 2 * STEP);
    assertEquals(1, back.segmentIndex());
    assertEquals(3.5 * STEP, back.distanceAlongM(), 1e-3);
    // From the middle of the outbound leg, the return leg passes closer than anything ahead.
    assertEquals(3.5 * STEP, line.nearest(quarter, STEP).distanceAlongM(), 1e-3);
    // On a one-way line, the closest point at or after the middle is the middle itself.
    LineProjection from = Polyline.of(eq(0), eq(0.02)).nearest(quarter, STEP);
    assertEquals(STEP, from.distanceAlongM(), 1e-6);
    assertEquals(0, from.segmentIndex());
    assertEquals(0.5, from.fraction(), 1e-9);
  }

  @Test
  void firstPassWithinRespectsTheDirectionOfTravel() {
    Polyline out = Polyline.of(eq(0), eq(0.01), eq(0.02), eq(0.01), eq(0));
    GeoPoint nearQuarter = GeoPoint.of(0.0002, 0.0051); // 22 m off the line
    LineProjection first = out.firstPassWithin(nearQuarter, 50, 0).orElseThrow();
    assertEquals(0.51 * STEP, first.distanceAlongM(), 1e-3);
    assertEquals(22.24, first.distanceM(), 0.01);
    LineProjection second = out.firstPassWithin(nearQuarter, 50, 2 * STEP).orElseThrow();
    assertEquals(3, second.segmentIndex());
    assertEquals(4 * STEP - 0.51 * STEP, second.distanceAlongM(), 1e-3);
    assertTrue(
        out.firstPassWithin(nearQuarter, 50, 3.6 * STEP).isEmpty(), "already past it for good");
    assertTrue(out.firstPassWithin(nearQuarter, 10, 0).isEmpty(), "never within 10 m");
  }

  @Test
  void firstPassOfALoopEndsAtTheFinish() {
    GeoPoint depot = eq(0);
    Polyline loop =
        Polyline.of(depot, eq(0.01), GeoPoint.of(0.01, 0.01), GeoPoint.of(0.01, 0), depot);
    assertEquals(0.0, loop.firstPassWithin(depot, 20, 0).orElseThrow().distanceAlongM());
    LineProjection finish = loop.firstPassWithin(depot, 20, 2 * STEP).orElseThrow();
    assertEquals(loop.lengthM(), finish.distanceAlongM(), 1e-6);
    assertEquals(0.0, finish.distanceM(), 1e-9);
  }

  @Test
  void aPassIsTheClosestPointBeforeLeavingTheRadius() {
    // The line runs past the point along several short segments; the pass's best is in the middle.
    Polyline line = Polyline.of(eq(0), eq(0.001), eq(0.002), eq(0.003), eq(0.004), eq(0.03));
    GeoPoint p = GeoPoint.of(0.0003, 0.0025);
    LineProjection pass = line.firstPassWithin(p, 100, 0).orElseThrow();
    assertEquals(0.0025, pass.point().lon(), 1e-9);
    assertEquals(33.36, pass.distanceM(), 0.01);
  }

  @Test
  void pointAtInterpolates() {
    Polyline line = Polyline.of(eq(0), eq(0.01), eq(0.01), GeoPoint.of(0.01, 0.01));
    assertEquals(eq(0), line.pointAt(-5));
    assertEquals(0.005, line.pointAt(0.5 * STEP).lon(), 1e-9);
    assertEquals(0.005, line.pointAt(1.5 * STEP).lat(), 1e-9);
    assertEquals(GeoPoint.of(0.01, 0.01), line.pointAt(1e9));
  }

  @Test
  void needsTwoPoints() {
    assertThrows(IllegalArgumentException.class, () -> Polyline.of(List.of(eq(0))));
    assertThrows(IllegalArgumentException.class, () -> Polyline.of(List.of()));
  }
}
