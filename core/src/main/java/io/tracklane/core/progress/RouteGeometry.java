package io.tracklane.core.progress;

import io.tracklane.core.geo.Geo;
import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.LineProjection;
import io.tracklane.core.geo.Polyline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A route as the progress engine needs it: the line, its checkpoints in route order, and data
 * precomputed once (segment projection tables, where along the line each checkpoint lies).
 * Immutable and thread-safe: build one per route version and share it between all the trackers of
 * tasks on that route.
 */
public final class RouteGeometry {
  private final String routeId;
  private final Polyline line;
  private final List<Checkpoint> checkpoints;
  private final SegmentTable segments;
  private final double[] checkpointAlongM;

  /**
   * @param routeId the route (version) id, reported in snapshots
   * @param line the route; must have a positive length
   * @param checkpoints in the order the rider must reach them (may be empty)
   */
  public RouteGeometry(String routeId, Polyline line, List<Checkpoint> checkpoints) {
    this.routeId = Objects.requireNonNull(routeId, "routeId");
    this.line = Objects.requireNonNull(line, "line");
    this.checkpoints = List.copyOf(Objects.requireNonNull(checkpoints, "checkpoints"));
    if (!(line.lengthM() > 0))
      throw new IllegalArgumentException("route " + routeId + " has zero length");
    this.segments = new SegmentTable(line);
    this.checkpointAlongM = locateCheckpoints(line, this.checkpoints);
  }

  /**
   * From the back office's stored shape: {@code geometry} a GeoJSON LineString ({@code {"type":
   * "LineString", "coordinates": [[lon, lat(, alt)], ...]}}, or a Feature wrapping one) and {@code
   * checkpoints} an array of {@code {name, lat, lon, radiusM}} in route order (null for none).
   *
   * @throws IllegalArgumentException naming the offending field when the shape is not usable
   */
  public static RouteGeometry fromGeoJson(
      String routeId, JsonObject geometry, JsonArray checkpoints) {
    Objects.requireNonNull(geometry, "geometry");
    JsonObject lineString = geometry;
    if ("Feature".equals(geometry.getValue("type"))) {
      Object inner = geometry.getValue("geometry");
      if (!(inner instanceof JsonObject g))
        throw new IllegalArgumentException("geometry: a Feature without a geometry object");
      lineString = g;
    }
    if (!"LineString".equals(lineString.getValue("type"))) {
      throw new IllegalArgumentException(
          "geometry.type: must be \"LineString\", not " + lineString.getValue("type"));
    }
    Object rawCoordinates = lineString.getValue("coordinates");
    if (!(rawCoordinates instanceof JsonArray coordinates)) {
      throw new IllegalArgumentException(
          "geometry.coordinates: must be an array of [lon, lat] positions");
    }
    List<GeoPoint> points = new ArrayList<>(coordinates.size());
    for (int i = 0; i < coordinates.size(); i++) {
      Object c = coordinates.getValue(i);
      if (!(c instanceof JsonArray pos)
          || pos.size() < 2
          || !(pos.getValue(0) instanceof Number lon)
          || !(pos.getValue(1) instanceof Number lat)
          || !GeoPoint.isValid(lat.doubleValue(), lon.doubleValue())) {
        throw new IllegalArgumentException(
            "geometry.coordinates[" + i + "]: must be a valid [lon, lat] position, got " + c);
      }
      points.add(GeoPoint.fromLonLat(lon.doubleValue(), lat.doubleValue()));
    }
    if (points.size() < 2) {
      throw new IllegalArgumentException(
          "geometry.coordinates: a route needs at least two positions, got " + points.size());
    }
    List<Checkpoint> cps = new ArrayList<>();
    if (checkpoints != null) {
      for (int i = 0; i < checkpoints.size(); i++) {
        String path = "checkpoints[" + i + "]";
        if (!(checkpoints.getValue(i) instanceof JsonObject cp))
          throw new IllegalArgumentException(path + ": must be an object");
        Object name = cp.getValue("name");
        if (!(name instanceof String n))
          throw new IllegalArgumentException(path + ".name: must be a string");
        double lat = number(cp, "lat", path);
        double lon = number(cp, "lon", path);
        double radius = number(cp, "radiusM", path);
        if (!GeoPoint.isValid(lat, lon))
          throw new IllegalArgumentException(path + ": not a valid position: " + lat + ", " + lon);
        if (!(radius > 0))
          throw new IllegalArgumentException(path + ".radiusM: must be positive, got " + radius);
        cps.add(Checkpoint.of(n, lat, lon, radius));
      }
    }
    return new RouteGeometry(routeId, Polyline.of(points), cps);
  }

  private static double number(JsonObject o, String key, String path) {
    if (!(o.getValue(key) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new IllegalArgumentException(
          path + "." + key + ": must be a number, got " + o.getValue(key));
    }
    return n.doubleValue();
  }

  public String routeId() {
    return routeId;
  }

  public Polyline line() {
    return line;
  }

  public List<Checkpoint> checkpoints() {
    return checkpoints;
  }

  /** Route length in metres. */
  public double lengthM() {
    return line.lengthM();
  }

  /**
   * Metres along the route where checkpoint {@code i} is passed: checkpoints are placed in order,
   * each on the first pass of the line through its radius after the line has left the previous
   * checkpoint's radius (so that a start-and-end depot on a round trip is placed at both ends), or
   * at the nearest point after the previous one if the line never comes within its radius.
   */
  public double checkpointAlongM(int i) {
    return checkpointAlongM[i];
  }

  SegmentTable segments() {
    return segments;
  }

  private static double[] locateCheckpoints(Polyline line, List<Checkpoint> checkpoints) {
    double[] along = new double[checkpoints.size()];
    double from = 0;
    for (int i = 0; i < checkpoints.size(); i++) {
      Checkpoint cp = checkpoints.get(i);
      Optional<LineProjection> pass = line.firstPassWithin(cp.position(), cp.radiusM(), from);
      if (pass.isPresent()) {
        along[i] = pass.get().distanceAlongM();
        from = exitAlong(line, cp, pass.get());
      } else {
        along[i] = line.nearest(cp.position(), from).distanceAlongM();
        from = along[i];
      }
    }
    return along;
  }

  /** Where the line, after {@code pass}, leaves the checkpoint's radius (its end if never). */
  private static double exitAlong(Polyline line, Checkpoint cp, LineProjection pass) {
    List<GeoPoint> pts = line.points();
    for (int j = pass.segmentIndex(); j < line.segmentCount(); j++) {
      if (Geo.haversine(cp.position(), pts.get(j + 1)) <= cp.radiusM()) continue;
      // Inside at lo, outside at hi: bisect for the crossing.
      double lo = j == pass.segmentIndex() ? pass.fraction() : 0;
      double hi = 1;
      for (int k = 0; k < 40; k++) {
        double mid = (lo + hi) / 2;
        if (Geo.haversine(cp.position(), Geo.interpolate(pts.get(j), pts.get(j + 1), mid))
            <= cp.radiusM()) lo = mid;
        else hi = mid;
      }
      return line.distanceAlongAtVertex(j) + hi * line.segmentLengthM(j);
    }
    return line.lengthM();
  }

  @Override
  public String toString() {
    return "RouteGeometry["
        + routeId
        + ", "
        + Math.round(lengthM())
        + " m, "
        + line.points().size()
        + " points, "
        + checkpoints.size()
        + " checkpoints]";
  }
}
