package io.tracklane.core.progress;

import static org.junit.jupiter.api.Assertions.fail;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.geo.Geo;
import io.tracklane.core.geo.GeoPoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Recorded GPS tracks from the shared data folder ({@code shared/data/gps} next to the repository;
 * never copied into it): GPX files ({@code gpx/*.gpx}) and GeoLife trajectories ({@code
 * geolife/*.plt}).
 */
final class RealTracks {
  /** A piece of a recorded track without big gaps. */
  record Track(String name, List<Fix> fixes) {
    double lengthM() {
      double sum = 0;
      for (int i = 1; i < fixes.size(); i++) {
        Fix a = fixes.get(i - 1);
        Fix b = fixes.get(i);
        sum += Geo.haversine(a.lat(), a.lon(), b.lat(), b.lon());
      }
      return sum;
    }

    List<GeoPoint> points() {
      return fixes.stream().map(f -> GeoPoint.of(f.lat(), f.lon())).toList();
    }

    @Override
    public String toString() {
      return name + " (" + fixes.size() + " fixes, " + Math.round(lengthM()) + " m)";
    }
  }

  static final Duration MAX_GAP = Duration.ofMinutes(15);
  static final double MIN_LENGTH_M = 2000;

  private RealTracks() {}

  /** {@code shared/data/gps} in the working directory or one of its ancestors. */
  static Optional<Path> findGpsDir() {
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("data").resolve("gps");
      if (Files.isDirectory(candidate)) return Optional.of(candidate);
    }
    return Optional.empty();
  }

  /**
   * The data folder; skips the calling test when it is absent, except on CI (CI=true), where that
   * fails.
   */
  static Path gpsDirOrSkip() {
    Optional<Path> dir = findGpsDir();
    if (dir.isEmpty()) {
      String where =
          "no shared/data/gps folder in " + Paths.get("").toAbsolutePath() + " or its ancestors";
      if ("true".equalsIgnoreCase(System.getenv("CI")))
        fail("real GPS data is required on CI: " + where);
      Assumptions.abort(where);
    }
    return dir.get();
  }

  /** Every piece of ≥ 2 km without a gap of more than 15 min, from every file. */
  static List<Track> all(Path gpsDir) throws IOException {
    List<Track> tracks = new ArrayList<>();
    for (Path f : list(gpsDir.resolve("gpx"), ".gpx"))
      tracks.addAll(pieces(f.getFileName().toString(), readGpx(f)));
    for (Path f : list(gpsDir.resolve("geolife"), ".plt"))
      tracks.addAll(pieces(f.getFileName().toString(), readPlt(f)));
    if (tracks.isEmpty()) fail("no usable track (≥ 2 km) in " + gpsDir);
    return tracks;
  }

  private static List<Path> list(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  /** The {@code trkpt}s of a GPX file (lat, lon, time), with the JDK's XML parser. */
  static List<Fix> readGpx(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
      dbf.setNamespaceAware(true);
      dbf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      dbf.setExpandEntityReferences(false);
      Document doc = dbf.newDocumentBuilder().parse(in);
      NodeList pts = doc.getElementsByTagNameNS("*", "trkpt");
      List<Fix> fixes = new ArrayList<>(pts.getLength());
      for (int i = 0; i < pts.getLength(); i++) {
        Element pt = (Element) pts.item(i);
        NodeList time = pt.getElementsByTagNameNS("*", "time");
        if (time.getLength() == 0) continue;
        long ts = Instant.parse(time.item(0).getTextContent().trim()).toEpochMilli();
        fixes.add(
            Fix.of(
                ts,
                Double.parseDouble(pt.getAttribute("lat")),
                Double.parseDouble(pt.getAttribute("lon"))));
      }
      return fixes;
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot parse " + file + ": " + e, e);
    }
  }

  private static final DateTimeFormatter PLT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd,HH:mm:ss");

  /**
   * A GeoLife .plt: 6 header lines, then {@code lat,lon,0,altitude_ft,days,YYYY-MM-DD,HH:MM:SS}
   * (GMT).
   */
  static List<Fix> readPlt(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Fix> fixes = new ArrayList<>();
    for (String line : lines.subList(Math.min(6, lines.size()), lines.size())) {
      if (line.isBlank()) continue;
      String[] f = line.split(",");
      long ts =
          LocalDateTime.parse(f[5] + "," + f[6].trim(), PLT_TIME)
              .toInstant(ZoneOffset.UTC)
              .toEpochMilli();
      fixes.add(Fix.of(ts, Double.parseDouble(f[0]), Double.parseDouble(f[1])));
    }
    return fixes;
  }

  /** Splits at gaps of more than 15 min (and time going backwards); keeps pieces of ≥ 2 km. */
  static List<Track> pieces(String name, List<Fix> fixes) {
    List<Track> out = new ArrayList<>();
    List<Fix> current = new ArrayList<>();
    int n = 0;
    for (Fix f : fixes) {
      if (!current.isEmpty()) {
        long gap = f.ts() - current.get(current.size() - 1).ts();
        if (gap > MAX_GAP.toMillis() || gap < 0) {
          addIfLong(out, name + "#" + n++, current);
          current = new ArrayList<>();
        }
      }
      current.add(f);
    }
    addIfLong(out, name + "#" + n, current);
    return out;
  }

  private static void addIfLong(List<Track> out, String name, List<Fix> fixes) {
    Track t = new Track(name, List.copyOf(fixes));
    if (fixes.size() >= 2 && t.lengthM() >= MIN_LENGTH_M) out.add(t);
  }

  /**
   * About one fix every {@code intervalS} seconds, like a phone: the first fix at least that long
   * after the previous kept one, and the last fix.
   */
  static List<Fix> resample(List<Fix> fixes, int intervalS) {
    List<Fix> out = new ArrayList<>();
    for (Fix f : fixes) {
      if (out.isEmpty() || f.ts() - out.get(out.size() - 1).ts() >= intervalS * 1000L) out.add(f);
    }
    Fix last = fixes.get(fixes.size() - 1);
    if (out.get(out.size() - 1).ts() < last.ts()) out.add(last);
    return out;
  }
}
