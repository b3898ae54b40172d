package io.tracklane.loadtest.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a {@link LoadReport} as {@code report.md}, {@code report.json} and {@code report.svg}. */
public final class LoadReportWriter {
  private LoadReportWriter() {}

  public static List<Path> write(LoadReport r, Path dir) throws Exception {
    Files.createDirectories(dir);
    Path md = dir.resolve("report.md");
    Path json = dir.resolve("report.json");
    Path svg = dir.resolve("report.svg");
    Files.writeString(md, markdown(r), StandardCharsets.UTF_8);
    JsonArray g = new JsonArray();
    for (var sim : r.gatling()) g.add(toJson(sim));
    JsonObject j =
        toJson(r)
            .put("gatling", g)
            .put("lost", r.lost())
            .put("peakRatio", r.peakRatio())
            .put("protocolRatio", Double.isNaN(r.protocolRatio()) ? null : r.protocolRatio())
            .put("targets", targets(r));
    Files.writeString(json, j.encodePrettily(), StandardCharsets.UTF_8);
    Files.writeString(svg, svg(r), StandardCharsets.UTF_8);
    return List.of(md, json, svg);
  }

  /** Records to JSON by their components (nested records and nulls included). */
  static Object toJsonValue(Object v) {
    if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
      return v instanceof Double d && (d.isNaN() || d.isInfinite()) ? null : v;
    }
    if (v instanceof Record rec) return toJson(rec);
    return v.toString();
  }

  static JsonObject toJson(Record rec) {
    JsonObject o = new JsonObject();
    for (RecordComponent c : rec.getClass().getRecordComponents()) {
      try {
        o.put(c.getName(), toJsonValue(c.getAccessor().invoke(rec)));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return o;
  }

  /** Each target: the measured value, the target, pass, and by how much it is missed. */
  static JsonArray targets(LoadReport r) {
    JsonArray a = new JsonArray();
    LoadReport.FleetPhase f = r.riderPhase();
    a.add(
        target(
            "concurrent MQTT riders at 1 fix / 10 s",
            f.connections(),
            LoadReport.TARGET_RIDERS,
            true));
    a.add(target("ack p99 (ms) at that load", f.p99Ms(), LoadReport.TARGET_P99_MS, false));
    a.add(target("errors", f.errors(), 0, false));
    a.add(target("lost acknowledged fixes", r.lost(), 0, false));
    a.add(
        target(
            "gateway heap max (MiB)",
            f.maxHeapUsedBytes() / 1048576.0,
            LoadReport.TARGET_HEAP_BYTES / 1048576.0,
            false));
    a.add(target("peak ingest / raw dynalite", r.peakRatio(), LoadReport.TARGET_PEAK_RATIO, true));
    if (!Double.isNaN(r.protocolRatio())) {
      a.add(
          target(
              "protocol layer / Mosquitto",
              r.protocolRatio(),
              LoadReport.TARGET_PROTOCOL_RATIO,
              true));
    }
    return a;
  }

  private static JsonObject target(String name, double value, double target, boolean atLeast) {
    boolean pass = atLeast ? value >= target : value <= target;
    String miss = "";
    if (!pass) {
      miss =
          target == 0
              ? String.format(Locale.ROOT, "%.0f over", value)
              : String.format(
                  Locale.ROOT,
                  "%.1f %% %s",
                  Math.abs(value - target) / target * 100,
                  atLeast ? "short" : "over");
    }
    return new JsonObject()
        .put("name", name)
        .put("value", value)
        .put("target", (atLeast ? "≥ " : "≤ ") + fmt(target))
        .put("pass", pass)
        .put("missedBy", miss);
  }

  public static String markdown(LoadReport r) {
    StringBuilder s = new StringBuilder();
    LoadReport.Machine m = r.machine();
    s.append("# Tracklane load test").append(r.smoke() ? " (smoke)" : "").append("\n\n");
    s.append(
        String.format(
            Locale.ROOT,
            "%s → %s · %d cores (%s) · Java %s · open-files limit %d%n%n",
            r.started(),
            r.finished(),
            m.cores(),
            m.cpu(),
            m.java(),
            m.openFilesLimit()));
    s.append("## Targets\n\n| Target | Measured | Goal | Result |\n|---|---|---|---|\n");
    for (Object o : targets(r)) {
      JsonObject t = (JsonObject) o;
      s.append("| ")
          .append(t.getString("name"))
          .append(" | ")
          .append(fmt(t.getDouble("value")))
          .append(" | ")
          .append(t.getString("target"))
          .append(" | ")
          .append(t.getBoolean("pass") ? "PASS" : "MISS (" + t.getString("missedBy") + ")")
          .append(" |\n");
    }
    s.append(
        "\n## Phases\n\n| Phase | Connections | Fixes/s | Ack p50 | p95 | p99 | max (ms) | Errors | Refused |"
            + " Server CPU (cores) | RSS max (MiB) | Heap max (MiB) |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    s.append(
        String.format(
            Locale.ROOT,
            "| dynalite raw BatchWriteItem(25), empty | – | %.0f | | | | | | | | | |%n",
            r.rawItemsPerSecond()));
    s.append(
        String.format(
            Locale.ROOT,
            "| dynalite raw, again before the peak phase | – | %.0f | | | | | | | | | |%n",
            r.rawBeforePeakItemsPerSecond()));
    for (LoadReport.FleetPhase f : phases(r)) {
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %d | %d | %.2f | %s | %s |%n",
              f.name(),
              f.connections(),
              f.fixesPerSecond(),
              f.p50Ms(),
              f.p95Ms(),
              f.p99Ms(),
              f.maxMs(),
              f.errors(),
              f.refused(),
              f.cpuCores(),
              f.maxRssBytes() == 0 ? "–" : fmt(f.maxRssBytes() / 1048576.0),
              f.maxHeapUsedBytes() == 0 ? "–" : fmt(f.maxHeapUsedBytes() / 1048576.0)));
    }
    s.append(
        "\nWhere the acknowledgement time goes (gateway side): its BatchWriteItem round trips to dynalite"
            + " (upper histogram bucket, ms) and its longest GC pause.\n\n| Phase | Writes | Store p50 | Store p99 | Store max"
            + " | Gateway GC pause max (ms) |\n|---|---|---|---|---|---|\n");
    for (LoadReport.FleetPhase p : phases(r)) {
      if (p.storeWrites() == 0) continue;
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.1f | %.1f | %.1f | %.0f |%n",
              p.name(),
              p.storeWrites(),
              p.storeP50Ms(),
              p.storeP99Ms(),
              p.storeMaxMs(),
              p.gatewayGcPauseMaxMs()));
    }
    LoadReport.FleetPhase f = r.riderPhase();
    s.append(
        String.format(
            Locale.ROOT,
            "%nRider phase: %d connections opened in %.1f s; the connections added"
                + " %.1f MiB of gateway resident memory per 1,000; %.3f cores per 1,000 fixes/s.%n",
            f.connections(),
            f.connectSeconds(),
            f.rssMiBPer1000(),
            f.cpuPer1000FixesPerSecond()));
    s.append(
        String.format(
            Locale.ROOT,
            "Acknowledged fixes checked in the table: %d + %d (%d + %d read back in full);"
                + " lost = %d.%n",
            r.riderAudit().acknowledged(),
            r.peakAudit().acknowledged(),
            r.riderAudit().spotChecked(),
            r.peakAudit().spotChecked(),
            r.lost()));
    if (!f.errorDetail().isEmpty())
      s.append("\nRider phase errors: ").append(f.errorDetail()).append('\n');
    if (!r.riderAudit().firstProblem().isEmpty())
      s.append("\nFirst lost fix: ").append(r.riderAudit().firstProblem()).append('\n');
    if (!r.gatling().isEmpty()) {
      s.append(
          "\n## HTTP (Gatling)\n\n| Simulation | Result | Requests | Failed | Mean | p95 | p99 | max (ms) |"
              + " Check |\n|---|---|---|---|---|---|---|---|---|\n");
      for (var g : r.gatling()) {
        s.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d | %d | %.0f | %.0f | %.0f | %.0f | %s |%n",
                g.simulation(),
                g.exitCode() == 0 ? "assertions hold" : "ASSERTIONS FAILED (" + g.exitCode() + ")",
                g.requests(),
                g.failed(),
                g.meanMs(),
                g.p95Ms(),
                g.p99Ms(),
                g.maxMs(),
                g.problem().isEmpty() ? "ok" : g.problem()));
      }
      s.append("\nGatling's own HTML reports: `gatling/` next to this file.\n");
    }
    s.append("\n## What limits it\n\n");
    if (f.connections() < LoadReport.TARGET_RIDERS) {
      s.append(
          String.format(
              Locale.ROOT,
              "- Connections: this run held %d riders. Each process here may open at most"
                  + " %d files (a hard limit the sandbox does not let us raise), and every MQTT connection is one socket in the"
                  + " gateway and one in the driver, so one gateway process cannot hold %d connections on this machine."
                  + " At %.1f MiB per 1,000 connections, %d riders would need about %.0f MiB resident.%n",
              f.connections(),
              m.openFilesLimit(),
              LoadReport.TARGET_RIDERS,
              f.rssMiBPer1000(),
              LoadReport.TARGET_RIDERS,
              f.rssMiBPer1000() * LoadReport.TARGET_RIDERS / 1000));
    }
    double needed = LoadReport.TARGET_RIDERS / 10.0;
    s.append(
        String.format(
            Locale.ROOT,
            "- Store: 50,000 riders at 1 fix / 10 s are %.0f fixes/s; dynalite's raw"
                + " capacity here is %.0f items/s empty and %.0f items/s once it holds the rider phase's fixes (%s), and dynalite"
                + " (one Node.js thread) shares the 2 cores with the gateway and the driver.%n",
            needed,
            r.rawItemsPerSecond(),
            r.rawBeforePeakItemsPerSecond(),
            r.rawBeforePeakItemsPerSecond() >= needed ? "enough" : "not enough"));
    if (f.p99Ms() > LoadReport.TARGET_P99_MS && f.storeWrites() > 0) {
      s.append(
          String.format(
              Locale.ROOT,
              "- Latency: in the rider phase the gateway's writes to dynalite took p99 %.0f ms"
                  + " (max bucket %.0f ms) and its longest GC pause was %.0f ms; an acknowledgement waits for its write, so the"
                  + " store's tail is the acknowledgement's tail. The same fleet against the discarding sink (no store) had ack"
                  + " p99 %.1f ms.%n",
              f.storeP99Ms(),
              f.storeMaxMs(),
              f.gatewayGcPauseMaxMs(),
              r.riderDiscardPhase().p99Ms()));
    }
    return s.toString();
  }

  private static List<LoadReport.FleetPhase> phases(LoadReport r) {
    List<LoadReport.FleetPhase> p =
        new ArrayList<>(
            List.of(r.riderPhase(), r.peakPhase(), r.riderDiscardPhase(), r.discardPhase()));
    if (r.mosquittoPhase() != null) p.add(r.mosquittoPhase());
    return p;
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e12) return String.format(Locale.ROOT, "%.0f", v);
    return String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.2f" : "%.1f", v);
  }

  /** Two bar charts: throughput per phase, and the rider phase's ack latency percentiles. */
  static String svg(LoadReport r) {
    List<String[]> rates = new ArrayList<>();
    rates.add(new String[] {"dynalite raw (empty)", Double.toString(r.rawItemsPerSecond())});
    rates.add(
        new String[] {
          "dynalite raw (before peak)", Double.toString(r.rawBeforePeakItemsPerSecond())
        });
    for (LoadReport.FleetPhase f : phases(r))
      rates.add(new String[] {f.name(), Double.toString(f.fixesPerSecond())});
    LoadReport.FleetPhase f = r.riderPhase();
    List<String[]> lat =
        List.of(
            new String[] {"p50", Double.toString(f.p50Ms())},
            new String[] {"p95", Double.toString(f.p95Ms())},
            new String[] {"p99", Double.toString(f.p99Ms())},
            new String[] {"max", Double.toString(f.maxMs())});
    int width = 900;
    int rowH = 26;
    int h1 = 40 + rates.size() * rowH;
    int h2 = 40 + lat.size() * rowH;
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n",
            width,
            h1 + h2 + 20));
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    bars(s, "Fixes (items) per second", rates, 0, width, rowH, "#2f6db5", "/s");
    bars(
        s,
        "Rider phase: acknowledgement latency (ms), target p99 ≤ 200",
        lat,
        h1 + 20,
        width,
        rowH,
        "#c0592b",
        " ms");
    s.append("</svg>\n");
    return s.toString();
  }

  private static void bars(
      StringBuilder s,
      String title,
      List<String[]> rows,
      int top,
      int width,
      int rowH,
      String color,
      String unit) {
    double max = rows.stream().mapToDouble(x -> Double.parseDouble(x[1])).max().orElse(1);
    if (max <= 0) max = 1;
    int labelW = 330;
    int barMax = width - labelW - 110;
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
            top + 20,
            escape(title)));
    for (int i = 0; i < rows.size(); i++) {
      double v = Double.parseDouble(rows.get(i)[1]);
      int y = top + 32 + i * rowH;
      int w = (int) Math.round(barMax * v / max);
      s.append(
          String.format(
              Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", y + 14, escape(rows.get(i)[0])));
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"%s\"/>%n",
              labelW,
              y,
              Math.max(1, w),
              color));
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\">%s%s</text>%n",
              labelW + w + 6,
              y + 14,
              fmt(v),
              unit));
    }
  }

  private static String escape(String t) {
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
