package io.tracklane.backoffice.routes;

import io.tracklane.backoffice.common.FieldError;
import io.tracklane.backoffice.common.Validator;
import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.LineProjection;
import io.tracklane.core.geo.Polyline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A validated route body, as POST and PUT {@code /routes} take it: {@code {name, description?,
 * geometry: GeoJSON LineString, checkpoints: [{name, lat, lon, radiusM}]}}. {@link #parse} reports
 * every problem at once, each under its JSON path ({@code geometry.coordinates[3]}, {@code
 * checkpoints[1].radiusM}), and computes the line's length.
 *
 * @param name as given (verbatim)
 * @param description as given, or null
 * @param geometry {@code {"type": "LineString", "coordinates": [[lon, lat(, alt)], ...]}}
 * @param checkpoints {@code [{name, lat, lon, radiusM}]} in route order
 * @param lengthM haversine length of the line in metres, rounded to centimetres
 */
public record RouteInput(
    String name, String description, JsonObject geometry, JsonArray checkpoints, double lengthM) {
  public static final int NAME_MAX = 200;
  public static final int DESCRIPTION_MAX = 2000;
  public static final int MIN_POSITIONS = 2;
  public static final int MAX_POSITIONS = 10_000;
  public static final double MIN_LENGTH_M = 10;
  public static final double MAX_LENGTH_M = 1_000_000;
  public static final double MAX_SEGMENT_M = 100_000;
  public static final int MAX_CHECKPOINTS = 200;
  public static final int CHECKPOINT_NAME_MAX = 100;
  public static final double MIN_RADIUS_M = 5;
  public static final double MAX_RADIUS_M = 5000;

  /** Beyond this many problems with positions, the rest are counted, not listed. */
  static final int MAX_LISTED_POSITION_ERRORS = 20;

  private static final Set<String> FIELDS =
      Set.of("name", "description", "geometry", "checkpoints");
  private static final Set<String> GEOMETRY_FIELDS = Set.of("type", "coordinates");
  private static final Set<String> CHECKPOINT_FIELDS = Set.of("name", "lat", "lon", "radiusM");
  private static final String LON_LAT = "GeoJSON positions are [longitude, latitude]";

  private record Checkpoint(String name, Number lat, Number lon, Number radiusM) {
    GeoPoint point() {
      return GeoPoint.of(lat.doubleValue(), lon.doubleValue());
    }

    double radius() {
      return radiusM.doubleValue();
    }
  }

  /** The validated body; 400 with every field error otherwise. */
  public static RouteInput parse(JsonObject body) {
    Validator v = new Validator(body);
    unknownFields(v, body, "", FIELDS);
    String name = v.string("name", true, NAME_MAX);
    String description = v.string("description", false, DESCRIPTION_MAX);

    JsonObject geometryIn = v.object("geometry", true);
    List<GeoPoint> positions = geometryIn == null ? null : positions(v, geometryIn);
    Polyline line = positions == null ? null : line(v, positions);

    JsonArray checkpointsIn = v.array("checkpoints", true);
    List<Checkpoint> checkpoints = checkpointsIn == null ? null : checkpoints(v, checkpointsIn);
    if (line != null && checkpoints != null) place(v, line, checkpoints);

    v.throwIfInvalid();
    JsonObject geometry =
        new JsonObject()
            .put("type", "LineString")
            .put("coordinates", geometryIn.getJsonArray("coordinates").copy());
    JsonArray cps = new JsonArray();
    for (Checkpoint c : checkpoints) {
      cps.add(
          new JsonObject()
              .put("name", c.name())
              .put("lat", c.lat())
              .put("lon", c.lon())
              .put("radiusM", c.radiusM()));
    }
    return new RouteInput(
        name, description, geometry, cps, Math.round(line.lengthM() * 100) / 100.0);
  }

  // --- geometry ------------------------------------------------------------------------------

  /** The positions of a valid LineString, or null (with errors recorded). */
  private static List<GeoPoint> positions(Validator v, JsonObject geometry) {
    unknownFields(v, geometry, "geometry.", GEOMETRY_FIELDS);
    Object type = geometry.getValue("type");
    if (type == null) {
      v.error("geometry.type", "is required (\"LineString\")");
      return null;
    }
    if (!"LineString".equals(type)) {
      v.error("geometry.type", "must be \"LineString\", not " + describe(type));
      return null;
    }
    Object raw = geometry.getValue("coordinates");
    if (raw == null) {
      v.error("geometry.coordinates", "is required");
      return null;
    }
    if (!(raw instanceof JsonArray coordinates)) {
      v.error("geometry.coordinates", "must be an array of [longitude, latitude] positions");
      return null;
    }
    if (coordinates.size() < MIN_POSITIONS) {
      v.error(
          "geometry.coordinates",
          "must have at least " + MIN_POSITIONS + " positions (has " + coordinates.size() + ")");
      return null;
    }
    if (coordinates.size() > MAX_POSITIONS) {
      v.error(
          "geometry.coordinates",
          "must have at most " + MAX_POSITIONS + " positions (has " + coordinates.size() + ")");
      return null;
    }
    List<GeoPoint> points = new ArrayList<>(coordinates.size());
    ErrorBudget budget = new ErrorBudget(v, "geometry.coordinates");
    for (int i = 0; i < coordinates.size(); i++) {
      String path = "geometry.coordinates[" + i + "]";
      Object c = coordinates.getValue(i);
      double[] lonLat = numbers(c);
      if (lonLat == null) {
        budget.error(
            path,
            "must be [longitude, latitude] or [longitude, latitude, altitude], all finite numbers; got "
                + describe(c));
        continue;
      }
      double lon = lonLat[0];
      double lat = lonLat[1];
      boolean lonOk = lon >= -180 && lon <= 180;
      boolean latOk = lat >= -90 && lat <= 90;
      if (lonOk && latOk) {
        points.add(GeoPoint.fromLonLat(lon, lat));
        continue;
      }
      List<String> problems = new ArrayList<>();
      if (!lonOk) problems.add("longitude " + number(lon) + " is outside [-180, 180]");
      if (!latOk) problems.add("latitude " + number(lat) + " is outside [-90, 90]");
      String hint = GeoPoint.isValid(lon, lat) ? "; " + LON_LAT + ": are these two swapped?" : "";
      budget.error(path, String.join(" and ", problems) + hint);
    }
    budget.summarize();
    return budget.count == 0 ? points : null;
  }

  /** The line if its segments and length are sane, or null (with errors recorded). */
  private static Polyline line(Validator v, List<GeoPoint> points) {
    Polyline line = Polyline.of(points);
    ErrorBudget budget = new ErrorBudget(v, "geometry.coordinates");
    // A position in [lat, lon] order among [lon, lat] ones makes jumps of hundreds of km. Of the
    // two ends of a long segment, blame the one farther from where most of the line is (the
    // component-wise median, which a few stray positions do not move), and each position once.
    GeoPoint centre = median(points);
    Set<Integer> blamed = new HashSet<>();
    for (int i = 1; i < points.size(); i++) {
      double d = line.segmentLengthM(i - 1);
      if (d <= MAX_SEGMENT_M) continue;
      int odd =
          points.get(i).distanceTo(centre) >= points.get(i - 1).distanceTo(centre) ? i : i - 1;
      int other = odd == i ? i - 1 : i;
      if (!blamed.add(odd)) continue;
      GeoPoint p = points.get(odd);
      StringBuilder msg =
          new StringBuilder(
              "is "
                  + km(d)
                  + " from geometry.coordinates["
                  + other
                  + "]; no segment may be longer than "
                  + km(MAX_SEGMENT_M)
                  + ", which usually means a position in [latitude, longitude] order ("
                  + LON_LAT
                  + ")");
      Optional<GeoPoint> swapped = swapped(p);
      if (swapped.isPresent() && swapped.get().distanceTo(points.get(other)) <= MAX_SEGMENT_M) {
        msg.append(": swapped to [")
            .append(number(p.lat()))
            .append(", ")
            .append(number(p.lon()))
            .append("] it would be ")
            .append(km(swapped.get().distanceTo(points.get(other))))
            .append(" from it");
      }
      budget.error("geometry.coordinates[" + odd + "]", msg.toString());
    }
    budget.summarize();
    if (budget.count > 0) return null;
    double length = line.lengthM();
    if (length == 0) {
      v.error("geometry.coordinates", "the line has zero length: all its positions are the same");
      return null;
    }
    if (length < MIN_LENGTH_M) {
      v.error(
          "geometry.coordinates",
          "the line is " + metres(length) + " long; it must be at least " + metres(MIN_LENGTH_M));
      return null;
    }
    if (length > MAX_LENGTH_M) {
      v.error(
          "geometry.coordinates",
          "the line is " + km(length) + " long; it must be at most " + km(MAX_LENGTH_M));
      return null;
    }
    return line;
  }

  // --- checkpoints ---------------------------------------------------------------------------

  /** The checkpoints, with null for each invalid one; null if the list itself is unusable. */
  private static List<Checkpoint> checkpoints(Validator v, JsonArray array) {
    if (array.size() > MAX_CHECKPOINTS) {
      v.error(
          "checkpoints",
          "must have at most " + MAX_CHECKPOINTS + " checkpoints (has " + array.size() + ")");
      return null;
    }
    List<Checkpoint> list = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String path = "checkpoints[" + i + "]";
      Object raw = array.getValue(i);
      if (!(raw instanceof JsonObject o)) {
        v.error(path, "must be an object {name, lat, lon, radiusM}, not " + describe(raw));
        list.add(null);
        continue;
      }
      int before = v.errors().size();
      unknownFields(v, o, path + ".", CHECKPOINT_FIELDS);
      Validator inner = new Validator(o);
      String name = inner.string("name", true, CHECKPOINT_NAME_MAX);
      // A latitude beyond ±90 that would be a fine longitude, and vice versa: the two are swapped.
      boolean looksSwapped =
          o.getValue("lat") instanceof Number la
              && o.getValue("lon") instanceof Number lo
              && !GeoPoint.isValid(la.doubleValue(), lo.doubleValue())
              && GeoPoint.isValid(lo.doubleValue(), la.doubleValue());
      String hint = looksSwapped ? " (lat and lon look swapped)" : "";
      Number lat = bounded(inner, o, "lat", -90, 90, "degrees", hint);
      Number lon = bounded(inner, o, "lon", -180, 180, "degrees", "");
      Number radius = bounded(inner, o, "radiusM", MIN_RADIUS_M, MAX_RADIUS_M, "metres", "");
      for (FieldError e : inner.errors()) v.error(path + "." + e.field(), e.message());
      boolean ok = v.errors().size() == before;
      list.add(ok ? new Checkpoint(name, lat, lon, radius) : null);
    }
    return list;
  }

  /**
   * Each valid checkpoint must lie within its radius of the line, and the line must reach them in
   * the order given: checkpoint i is matched to the first pass of the line within its radius after
   * where checkpoint i-1 was matched, so loops and out-and-back routes work.
   */
  private static void place(Validator v, Polyline line, List<Checkpoint> checkpoints) {
    double previousAlong = 0;
    int previous = -1;
    Polyline swappedLine = null;
    boolean swappedLineTried = false;
    for (int i = 0; i < checkpoints.size(); i++) {
      Checkpoint c = checkpoints.get(i);
      if (c == null) continue;
      String path = "checkpoints[" + i + "]";
      GeoPoint p = c.point();
      LineProjection nearest = line.nearest(p);
      if (nearest.distanceM() > c.radius()) {
        StringBuilder msg =
            new StringBuilder(
                "is "
                    + distance(nearest.distanceM())
                    + " from the route, farther than its radiusM ("
                    + number(c.radius())
                    + " m)");
        // Swapping the checkpoint or swapping the whole line amount to the same; the line, in
        // GeoJSON order, is the usual culprit, so both checks lead to one hint.
        Optional<GeoPoint> own = swapped(p);
        boolean fitsSwapped = own.isPresent() && line.nearest(own.get()).distanceM() <= c.radius();
        if (!fitsSwapped) {
          if (!swappedLineTried) {
            swappedLine = swappedLine(line);
            swappedLineTried = true;
          }
          fitsSwapped = swappedLine != null && swappedLine.nearest(p).distanceM() <= c.radius();
        }
        if (fitsSwapped) {
          msg.append("; it would be on the route if geometry.coordinates were swapped (")
              .append(LON_LAT)
              .append(") or if its own lat and lon were");
        }
        v.error(path, msg.toString());
        continue;
      }
      Optional<LineProjection> pass = line.firstPassWithin(p, c.radius(), previousAlong);
      if (pass.isEmpty()) {
        v.error(
            path,
            "is out of route order: the route passes it "
                + distance(nearest.distanceAlongM())
                + " from the start, before checkpoints["
                + previous
                + "] ("
                + distance(previousAlong)
                + "); list checkpoints in the order the route reaches them");
        continue;
      }
      previousAlong = pass.get().distanceAlongM();
      previous = i;
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private static Number bounded(
      Validator inner,
      JsonObject o,
      String field,
      double min,
      double max,
      String unit,
      String hint) {
    Object raw = o.getValue(field);
    if (raw == null) {
      inner.error(field, "is required");
      return null;
    }
    if (!(raw instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      inner.error(field, "must be a number (" + unit + "), not " + describe(raw));
      return null;
    }
    double d = n.doubleValue();
    if (d < min || d > max) {
      inner.error(
          field,
          number(d) + " is outside [" + number(min) + ", " + number(max) + "] " + unit + hint);
      return null;
    }
    return n;
  }

  /** [lon, lat] from a 2- or 3-element array of finite numbers, or null. */
  private static double[] numbers(Object c) {
    if (!(c instanceof JsonArray a) || a.size() < 2 || a.size() > 3) return null;
    double[] out = new double[a.size()];
    for (int k = 0; k < a.size(); k++) {
      if (!(a.getValue(k) instanceof Number n) || !Double.isFinite(n.doubleValue())) return null;
      out[k] = n.doubleValue();
    }
    return out;
  }

  /** Component-wise median of the positions (lower middle for an even count). */
  private static GeoPoint median(List<GeoPoint> points) {
    double[] lats = points.stream().mapToDouble(GeoPoint::lat).sorted().toArray();
    double[] lons = points.stream().mapToDouble(GeoPoint::lon).sorted().toArray();
    int mid = (points.size() - 1) / 2;
    return GeoPoint.of(lats[mid], lons[mid]);
  }

  private static Optional<GeoPoint> swapped(GeoPoint p) {
    return GeoPoint.isValid(p.lon(), p.lat())
        ? Optional.of(GeoPoint.of(p.lon(), p.lat()))
        : Optional.empty();
  }

  private static Polyline swappedLine(Polyline line) {
    List<GeoPoint> out = new ArrayList<>(line.points().size());
    for (GeoPoint p : line.points()) {
      Optional<GeoPoint> s = swapped(p);
      if (s.isEmpty()) return null;
      out.add(s.get());
    }
    return Polyline.of(out);
  }

  private static void unknownFields(Validator v, JsonObject o, String prefix, Set<String> known) {
    for (String key : o.fieldNames()) {
      if (!known.contains(key)) {
        v.error(
            prefix + key,
            "is not a known field (expected "
                + String.join(", ", known.stream().sorted().toList())
                + ")");
      }
    }
  }

  private static String describe(Object value) {
    if (value == null) return "null";
    if (value instanceof String s)
      return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
    if (value instanceof JsonArray a) return "an array of " + a.size();
    if (value instanceof JsonObject) return "an object";
    if (value instanceof Boolean) return "a boolean";
    return value.toString();
  }

  static String number(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  static String metres(double m) {
    return String.format(Locale.ROOT, "%.1f m", m);
  }

  /** Metres below 10 km, kilometres above. */
  static String distance(double m) {
    return m < 10_000 ? metres(m) : km(m);
  }

  static String km(double m) {
    return String.format(Locale.ROOT, "%.1f km", m / 1000);
  }

  /** Lists the first {@link #MAX_LISTED_POSITION_ERRORS} errors and counts the rest. */
  private static final class ErrorBudget {
    private final Validator v;
    private final String summaryField;
    int count;

    ErrorBudget(Validator v, String summaryField) {
      this.v = v;
      this.summaryField = summaryField;
    }

    void error(String field, String message) {
      if (++count <= MAX_LISTED_POSITION_ERRORS) v.error(field, message);
    }

    void summarize() {
      if (count > MAX_LISTED_POSITION_ERRORS) {
        v.error(
            summaryField,
            (count - MAX_LISTED_POSITION_ERRORS) + " more invalid positions are not listed");
      }
    }
  }
}
