package io.tracklane.core.progress;

import static io.tracklane.core.progress.TestKit.ORIGIN;
import static io.tracklane.core.progress.TestKit.offset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DouglasPeuckerTest {

  @Test
  void collinearPointsCollapseAndCornersStay() {
    List<GeoPoint> pts = new ArrayList<>();
    for (int i = 0; i <= 10; i++) pts.add(offset(ORIGIN, i * 100, 0));
    for (int i = 1; i <= 10; i++) pts.add(offset(ORIGIN, 1000, i * 100));
    assertEquals(List.of(pts.get(0), pts.get(10), pts.get(20)), DouglasPeucker.simplify(pts, 10));
  }

  @Test
  void everyDroppedPointIsWithinTheTolerance() {
    Random random = new Random(1);
    List<GeoPoint> pts = new ArrayList<>();
    for (int i = 0; i < 2000; i++)
      pts.add(offset(ORIGIN, i * 5, 30 * Math.sin(i / 20.0) + random.nextGaussian() * 4));
    List<GeoPoint> simple = DouglasPeucker.simplify(pts, 10);
    assertTrue(simple.size() < pts.size() / 5, "" + simple.size());
    Polyline line = Polyline.of(simple);
    for (GeoPoint p : pts) assertTrue(line.nearest(p).distanceM() <= 10.1);
  }
}
