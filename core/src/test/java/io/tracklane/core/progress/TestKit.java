package io.tracklane.core.progress;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.geo.Geo;
import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Synthetic routes, rides and noise for the progress tests. */
final class TestKit {
  static final GeoPoint ORIGIN = GeoPoint.of(45.0, 13.0);
  static final long T0 = 1_700_000_000_000L;

  private TestKit() {}

  /** The point {@code eastM} metres east and {@code northM} metres north of {@code p}. */
  static GeoPoint offset(GeoPoint p, double eastM, double northM) {
    double lat = p.lat() + Math.toDegrees(northM / Geo.EARTH_RADIUS_M);
    double lon =
        p.lon() + Math.toDegrees(eastM / (Geo.EARTH_RADIUS_M * Math.cos(Math.toRadians(p.lat()))));
    return GeoPoint.of(lat, lon);
  }

  /** A line through points given as (east, north) metre pairs from {@link #ORIGIN}. */
  static Polyline line(double... eastNorth) {
    List<GeoPoint> pts = new ArrayList<>();
    for (int i = 0; i < eastNorth.length; i += 2)
      pts.add(offset(ORIGIN, eastNorth[i], eastNorth[i + 1]));
    return Polyline.of(pts);
  }

  /** 5 km due east. */
  static Polyline straight() {
    return line(0, 0, 5000, 0);
  }

  /** 3 km east, then 2 km north. */
  static Polyline lShape() {
    return line(0, 0, 3000, 0, 3000, 2000);
  }

  /** Every point of {@code line} moved by the same offset. */
  static Polyline shifted(Polyline line, double eastM, double northM) {
    List<GeoPoint> pts = new ArrayList<>();
    for (GeoPoint p : line.points()) pts.add(offset(p, eastM, northM));
    return Polyline.of(pts);
  }

  static RouteGeometry route(Polyline line, Checkpoint... checkpoints) {
    return new RouteGeometry("r-test", line, List.of(checkpoints));
  }

  /**
   * Fixes every {@code intervalS} seconds along {@code path} at {@code speedMps}, ending exactly at
   * its end.
   */
  static List<Fix> ride(Polyline path, double speedMps, long startTs, double intervalS) {
    List<Fix> fixes = new ArrayList<>();
    double step = speedMps * intervalS;
    int n = (int) Math.ceil(path.lengthM() / step);
    for (int i = 0; i <= n; i++) {
      double along = Math.min(path.lengthM(), i * step);
      GeoPoint p = path.pointAt(along);
      fixes.add(Fix.of(startTs + Math.round(i * intervalS * 1000), p.lat(), p.lon()));
    }
    return fixes;
  }

  /**
   * {@code count} fixes every {@code intervalS} seconds at {@code p}, starting at {@code startTs}.
   */
  static List<Fix> stay(GeoPoint p, int count, long startTs, double intervalS) {
    List<Fix> fixes = new ArrayList<>();
    for (int i = 0; i < count; i++)
      fixes.add(Fix.of(startTs + Math.round(i * intervalS * 1000), p.lat(), p.lon()));
    return fixes;
  }

  /** The same fixes, each moved by a uniform random offset within a disc of {@code radiusM}. */
  static List<Fix> jitter(List<Fix> fixes, double radiusM, Random random) {
    List<Fix> out = new ArrayList<>(fixes.size());
    for (Fix f : fixes) {
      double r = radiusM * Math.sqrt(random.nextDouble());
      double a = random.nextDouble() * 2 * Math.PI;
      out.add(moved(f, r * Math.cos(a), r * Math.sin(a)));
    }
    return out;
  }

  /**
   * The same fixes, {@code count} isolated ones (at least three fixes apart, not among the first or
   * last three) thrown {@code distanceM} away in a random direction.
   */
  static List<Fix> spikes(List<Fix> fixes, int count, double distanceM, Random random) {
    List<Fix> out = new ArrayList<>(fixes);
    List<Integer> chosen = new ArrayList<>();
    while (chosen.size() < count) {
      int i = 3 + random.nextInt(out.size() - 6);
      if (chosen.stream().anyMatch(j -> Math.abs(i - j) < 3)) continue;
      chosen.add(i);
      double a = random.nextDouble() * 2 * Math.PI;
      out.set(i, moved(out.get(i), distanceM * Math.cos(a), distanceM * Math.sin(a)));
    }
    return out;
  }

  /**
   * The fixes as an offline buffer would deliver them: about {@code fraction} of them (never the
   * first or the last) held back and delivered 1..{@code maxDelay} positions later, shuffled.
   */
  static List<Fix> withLateDeliveries(
      List<Fix> fixes, double fraction, int maxDelay, Random random) {
    List<List<Fix>> after = new ArrayList<>();
    for (int i = 0; i < fixes.size(); i++) after.add(new ArrayList<>());
    List<Fix> delivery = new ArrayList<>();
    for (int i = 0; i < fixes.size(); i++) {
      if (i > 0 && i < fixes.size() - 1 && random.nextDouble() < fraction) {
        after.get(Math.min(fixes.size() - 1, i + 1 + random.nextInt(maxDelay))).add(fixes.get(i));
      } else {
        delivery.add(fixes.get(i));
      }
      List<Fix> batch = after.get(i);
      Collections.shuffle(batch, random);
      delivery.addAll(batch);
    }
    return delivery;
  }

  /**
   * Runs {@code delivery} and checks that every late fix (not newer than a fix accepted before it)
   * yielded nothing and changed nothing: the other fixes alone yield exactly the same events.
   * Returns the run and how many fixes were late.
   */
  static Run assertLateFixesChangeNothing(RouteGeometry route, List<Fix> delivery, int minLate) {
    Run run = run(route, delivery);
    long newestAccepted = Long.MIN_VALUE;
    List<Fix> inOrder = new ArrayList<>();
    List<List<ProgressEvent>> inOrderEvents = new ArrayList<>();
    int late = 0;
    for (int i = 0; i < delivery.size(); i++) {
      Fix f = delivery.get(i);
      if (f.ts() <= newestAccepted) {
        late++;
        if (!run.perFix.get(i).isEmpty())
          throw new AssertionError("late fix " + i + " yielded " + run.perFix.get(i));
        continue;
      }
      inOrder.add(f);
      inOrderEvents.add(run.perFix.get(i));
      if (!run.perFix.get(i).isEmpty()) newestAccepted = f.ts();
    }
    if (late < minLate) throw new AssertionError("only " + late + " late fixes");
    Run reference = run(route, inOrder);
    if (!reference.perFix.equals(inOrderEvents))
      throw new AssertionError("late fixes changed the state");
    assertMonotonic(run);
    return run;
  }

  static Fix moved(Fix f, double eastM, double northM) {
    GeoPoint p = offset(GeoPoint.of(f.lat(), f.lon()), eastM, northM);
    return new Fix(f.ts(), p.lat(), p.lon(), f.acc(), f.spd(), f.hdg(), f.alt(), f.bat());
  }

  /**
   * Fixes with their timestamps shifted so that {@code next} starts {@code gapS} after {@code prev}
   * ends.
   */
  static List<Fix> concat(List<Fix> prev, List<Fix> next, double gapS) {
    List<Fix> out = new ArrayList<>(prev);
    long shift =
        prev.isEmpty()
            ? 0
            : prev.get(prev.size() - 1).ts() + Math.round(gapS * 1000) - next.get(0).ts();
    for (Fix f : next)
      out.add(
          new Fix(f.ts() + shift, f.lat(), f.lon(), f.acc(), f.spd(), f.hdg(), f.alt(), f.bat()));
    return out;
  }

  /** Everything a tracker emitted for a sequence of fixes. */
  static final class Run {
    final List<ProgressUpdate> updates = new ArrayList<>();
    final List<Alert> alerts = new ArrayList<>();
    final List<List<ProgressEvent>> perFix = new ArrayList<>();

    long count(AlertType type) {
      return alerts.stream().filter(a -> a.type() == type).count();
    }

    List<AlertType> types() {
      return alerts.stream().map(Alert::type).toList();
    }

    ProgressUpdate last() {
      return updates.get(updates.size() - 1);
    }

    double maxAlongStep() {
      double max = 0;
      for (int i = 1; i < updates.size(); i++)
        max = Math.max(max, updates.get(i).alongM() - updates.get(i - 1).alongM());
      return max;
    }
  }

  static Run run(TaskProgressTracker tracker, List<Fix> fixes) {
    Run run = new Run();
    feed(tracker, fixes, run);
    return run;
  }

  static void feed(TaskProgressTracker tracker, List<Fix> fixes, Run run) {
    for (Fix f : fixes) {
      List<ProgressEvent> events = tracker.onFix(f);
      run.perFix.add(events);
      for (ProgressEvent e : events) {
        if (e instanceof ProgressUpdate u) run.updates.add(u);
        else if (e instanceof Alert a) run.alerts.add(a);
      }
    }
  }

  static TaskProgressTracker tracker(RouteGeometry route) {
    return new TaskProgressTracker("t-test", route, ProgressConfig.DEFAULTS);
  }

  static Run run(RouteGeometry route, List<Fix> fixes) {
    return run(tracker(route), fixes);
  }

  /** Asserts that progress never decreases across the updates. */
  static void assertMonotonic(Run run) {
    for (int i = 1; i < run.updates.size(); i++) {
      double prev = run.updates.get(i - 1).alongM();
      double cur = run.updates.get(i).alongM();
      if (cur < prev) {
        throw new AssertionError("progress went back at update " + i + ": " + prev + " → " + cur);
      }
    }
  }
}
