package io.tracklane.loadtest.jmh;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.geo.Geo;
import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import io.tracklane.core.progress.Checkpoint;
import io.tracklane.core.progress.ProgressConfig;
import io.tracklane.core.progress.ProgressEvent;
import io.tracklane.core.progress.RouteGeometry;
import io.tracklane.core.progress.TaskProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Steady-state throughput of {@link TaskProgressTracker#onFix} on one thread: a 500-point route
 * (~25 km, gentle random bends, 10 checkpoints) and a rider riding it at 5 m/s with a fix every 10
 * s and up to 15 m of GPS jitter, the fixes generated beforehand. When the rider reaches the end
 * the next invocation starts a new task on the same (shared, immutable) route, so about one fix in
 * 500 pays for a tracker's creation and first placement.
 *
 * <p>Run: {@code java -cp <loadtest classpath> org.openjdk.jmh.Main ProgressEngineBenchmark}, or
 * {@link RunProgressBenchmark} for a short run that compares the result with the target.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProgressEngineBenchmark {
  static final int ROUTE_POINTS = 500;
  static final double SPACING_M = 50;
  static final double SPEED_MPS = 5;
  static final double INTERVAL_S = 10;
  static final double JITTER_M = 15;

  private RouteGeometry route;
  private Fix[] fixes;
  private TaskProgressTracker tracker;
  private int next;
  private int task;

  @Setup
  public void setUp() {
    Random random = new Random(42);
    List<GeoPoint> points = new ArrayList<>(ROUTE_POINTS);
    GeoPoint p = GeoPoint.of(45.0, 13.0);
    double heading = 60;
    for (int i = 0; i < ROUTE_POINTS; i++) {
      points.add(p);
      heading += random.nextGaussian() * 15;
      p = move(p, SPACING_M, heading);
    }
    Polyline line = Polyline.of(points);
    List<Checkpoint> checkpoints = new ArrayList<>();
    for (int k = 1; k <= 10; k++) {
      checkpoints.add(new Checkpoint("stop " + k, line.pointAt(line.lengthM() * k / 10), 40));
    }
    route = new RouteGeometry("bench-route", line, checkpoints);

    List<Fix> list = new ArrayList<>();
    long t0 = 1_700_000_000_000L;
    double step = SPEED_MPS * INTERVAL_S;
    int steps = (int) Math.ceil(line.lengthM() / step);
    for (int i = 0; i <= steps; i++) {
      GeoPoint on = line.pointAt(Math.min(line.lengthM(), i * step));
      GeoPoint q = move(on, JITTER_M * Math.sqrt(random.nextDouble()), random.nextDouble() * 360);
      list.add(
          new Fix(
              t0 + Math.round(i * INTERVAL_S * 1000),
              q.lat(),
              q.lon(),
              8.0,
              SPEED_MPS,
              null,
              null,
              null));
    }
    fixes = list.toArray(new Fix[0]);
    newTask();
  }

  private void newTask() {
    tracker = new TaskProgressTracker("bench-task-" + task++, route, ProgressConfig.DEFAULTS);
    next = 0;
  }

  @Benchmark
  public List<ProgressEvent> onFix() {
    if (next == fixes.length) newTask();
    return tracker.onFix(fixes[next++]);
  }

  /**
   * The point {@code metres} from {@code p} on bearing {@code degrees} (flat-earth step, fine at 50
   * m).
   */
  static GeoPoint move(GeoPoint p, double metres, double degrees) {
    double b = Math.toRadians(degrees);
    double lat = p.lat() + Math.toDegrees(metres * Math.cos(b) / Geo.EARTH_RADIUS_M);
    double lon =
        p.lon()
            + Math.toDegrees(
                metres * Math.sin(b) / (Geo.EARTH_RADIUS_M * Math.cos(Math.toRadians(p.lat()))));
    return GeoPoint.of(lat, lon);
  }
}
