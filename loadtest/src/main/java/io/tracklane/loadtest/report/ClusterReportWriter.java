package io.tracklane.loadtest.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a {@link ClusterReport} as {@code cluster-report.md} and {@code cluster-report.json}. */
public final class ClusterReportWriter {
  private ClusterReportWriter() {}

  public static List<Path> write(ClusterReport r, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path md = dir.resolve("cluster-report.md");
    Path json = dir.resolve("cluster-report.json");
    Path svg = dir.resolve("cluster-report.svg");
    Files.writeString(md, markdown(r), StandardCharsets.UTF_8);
    Files.writeString(json, ((JsonObject) toJson(r)).encodePrettily(), StandardCharsets.UTF_8);
    Files.writeString(svg, ClusterMinuteChart.svg(r.minutes()), StandardCharsets.UTF_8);
    return List.of(md, json, svg);
  }

  /**
   * Re-renders {@code cluster-report.md} and {@code .svg} of a finished run from its {@code
   * cluster-report.json} (after the report format gained a section). Fields the JSON lacks read as
   * zero or null.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1)
      throw new IllegalArgumentException("usage: ClusterReportWriter <run dir>");
    Path dir = Path.of(args[0]);
    JsonObject json = new JsonObject(Files.readString(dir.resolve("cluster-report.json")));
    ClusterReport r = (ClusterReport) fromJson(json, ClusterReport.class);
    System.out.println("re-rendered: " + write(r, dir));
  }

  /** The inverse of {@link #toJson} for the report's own types. */
  static Object fromJson(Object j, Type type) {
    Class<?> raw =
        type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    if (raw == long.class) return j == null ? 0L : ((Number) j).longValue();
    if (raw == int.class) return j == null ? 0 : ((Number) j).intValue();
    if (raw == double.class) return j == null ? 0.0 : ((Number) j).doubleValue();
    if (raw == boolean.class) return j != null && (Boolean) j;
    if (j == null) return null;
    if (raw == String.class) return j.toString();
    if (raw == long[].class) {
      JsonArray a = (JsonArray) j;
      long[] out = new long[a.size()];
      for (int i = 0; i < out.length; i++) out[i] = a.getLong(i);
      return out;
    }
    if (raw == List.class) {
      Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
      List<Object> out = new ArrayList<>();
      for (Object e : (JsonArray) j) out.add(fromJson(e, element));
      return out;
    }
    if (raw.isRecord()) {
      JsonObject o = (JsonObject) j;
      RecordComponent[] cs = raw.getRecordComponents();
      Object[] values = new Object[cs.length];
      Class<?>[] types = new Class<?>[cs.length];
      for (int i = 0; i < cs.length; i++) {
        values[i] = fromJson(o.getValue(cs[i].getName()), cs[i].getGenericType());
        types[i] = cs[i].getType();
      }
      try {
        return raw.getDeclaredConstructor(types).newInstance(values);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalArgumentException("no JSON mapping for " + type);
  }

  /** Records as JSON objects (component names as keys), lists and arrays as arrays. */
  static Object toJson(Object o) {
    if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean) return o;
    if (o instanceof long[] a) {
      JsonArray j = new JsonArray();
      for (long v : a) j.add(v);
      return j;
    }
    if (o instanceof List<?> l) {
      JsonArray j = new JsonArray();
      for (Object e : l) j.add(toJson(e));
      return j;
    }
    if (o instanceof Record rec) {
      JsonObject j = new JsonObject();
      for (RecordComponent c : rec.getClass().getRecordComponents()) {
        try {
          j.put(c.getName(), toJson(c.getAccessor().invoke(rec)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return j;
    }
    return o.toString();
  }

  public static String markdown(ClusterReport r) {
    StringBuilder b = new StringBuilder();
    ClusterReport.Setup s = r.setup();
    b.append("# Multi-instance load run\n\n");
    b.append(
        f(
            "%d gateways (clustered), %d driver processes, %d riders, 1 fix / %d s for %d s after a %d s warm-up, store: %s%s.%n%n",
            s.gateways(),
            s.drivers(),
            s.riders(),
            s.periodMs() / 1000,
            s.seconds(),
            s.warmupSeconds(),
            s.store(),
            s.killAtSeconds() >= 0
                ? ", gateway-"
                    + (s.gateways() - 1)
                    + " killed (SIGKILL) at "
                    + s.killAtSeconds()
                    + " s"
                : ""));
    b.append(
        f(
            "Machine: %d cores, %s, Java %s, open files limit %d. Started %s, finished %s.%n%n",
            r.machine().cores(),
            r.machine().cpu(),
            r.machine().java(),
            r.machine().openFilesLimit(),
            r.started(),
            r.finished()));
    b.append(
        r.problems().isEmpty()
            ? "**Result: passed** (lost = 0, nothing left unacknowledged).\n\n"
            : "**Result: FAILED**: " + String.join("; ", r.problems()) + "\n\n");

    ClusterReport.Fleet fl = r.fleet();
    b.append("## Fleet\n\n| | |\n|---|---|\n");
    b.append(
        f("| connections | %,d (connected in %.1f s) |%n", fl.connections(), fl.connectSeconds()));
    b.append(
        f(
            "| acknowledged in the window | %,d in %.0f s = %.0f fixes/s |%n",
            fl.acked(), fl.windowSeconds(), fl.fixesPerSecond()));
    b.append(
        f(
            "| ack latency (publish → PUBACK) | p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms |%n",
            fl.p50Ms(), fl.p99Ms(), fl.p999Ms(), fl.maxMs()));
    b.append(
        f(
            "| run totals | published %,d, acknowledged %,d, skipped beats %,d, connections closed %,d, resent %,d, never acknowledged %,d |%n",
            fl.published(),
            fl.ackedTotal(),
            fl.skipped(),
            fl.connectionsClosed(),
            fl.resent(),
            fl.neverAcknowledged()));
    if (r.audit() != null) {
      ClusterReport.Audit a = r.audit();
      b.append(
          f(
              "| audit | **lost = %d** of %,d acknowledged fixes (%d riders, key-only Query per task); %d read back in full, %d mismatched; %.1f s |%n",
              a.lost(),
              a.acknowledged(),
              a.riders(),
              a.spotChecked(),
              a.spotMismatches(),
              a.seconds()));
    }
    b.append("\n## Instances\n\n");
    b.append(
        "| instance | pid | killed | max connections | CPU s | cores | fixes written | CPU µs / fix | RSS first → last (max) | heap last (max) |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (ClusterReport.Instance i : r.instances()) {
      b.append(
          f(
              "| %s | %d | %s | %,d | %.1f | %.2f | %,d | %.0f | %s → %s (%s) | %s (%s) |%n",
              i.name(),
              i.pid(),
              i.killed() ? "yes" : "",
              i.maxConnections(),
              i.cpuSeconds(),
              i.cores(),
              i.fixesWritten(),
              i.cpuMicrosPerFix(),
              mib(i.firstRssBytes()),
              mib(i.lastRssBytes()),
              mib(i.maxRssBytes()),
              mib(i.lastHeapBytes()),
              mib(i.maxHeapBytes())));
    }
    ClusterReport.Cost c = r.cost();
    b.append(
        f(
            "%nCPU per %s fix, all instances: %.1f CPU s / %,d fixes = **%.0f µs**, i.e. %.3f cores per 1,000 fixes/s.%n",
            s.discardingSink() ? "acknowledged (discarding sink)" : "durable",
            c.cpuSeconds(),
            c.fixes(),
            c.cpuMicrosPerFix(),
            c.coresPer1000FixesPerSecond()));
    b.append(
        f(
            "After the first interval (JIT and warm-up left out): %.1f CPU s / %,d fixes = **%.0f µs** per fix.%n",
            c.steadyCpuSeconds(), c.steadyFixes(), c.steadyCpuMicrosPerFix()));

    ClusterReport.Histograms h = r.latency();
    b.append(
        f(
            "%n## Store round trips beside acknowledgements (gateway histograms%s)%n%n",
            s.warmupSeconds() > 0 ? ", after the " + s.warmupSeconds() + " s warm-up" : ""));
    b.append(
        f(
            "BatchWriteItem round trips: %,d, p50 ≤ %s ms, p99 ≤ %s ms, highest bucket %s ms. "
                + "Acknowledgements (fix received → PUBACK): %,d, p50 ≤ %s ms, p99 ≤ %s ms, highest bucket %s ms.%n%n",
            h.storeWrites(),
            ms(h.storeP50Ms()),
            ms(h.storeP99Ms()),
            ms(h.storeMaxBucketMs()),
            h.gatewayAcks(),
            ms(h.gatewayAckP50Ms()),
            ms(h.gatewayAckP99Ms()),
            ms(h.gatewayAckMaxBucketMs())));
    b.append("| up to ms | store round trips | acks |\n|---|---|---|\n");
    for (ClusterReport.Bucket k : h.buckets())
      b.append(f("| %s | %,d | %,d |%n", ms(k.upToMs()), k.storeWrites(), k.acks()));

    b.append(
        "\n## Per minute\n\n| minute | fixes/s | p99 ack ms | max ack ms | max RSS | max heap | heap floor | CPU cores | CPU µs / fix |\n");
    b.append("|---|---|---|---|---|---|---|---|---|\n");
    for (ClusterReport.Minute m : r.minutes())
      b.append(
          f(
              "| %d | %.0f | %.1f | %.1f | %s | %s | %s | %.2f | %.0f |%n",
              m.minute(),
              m.fixesPerSecond(),
              m.p99Ms(),
              m.maxMs(),
              mib(m.maxRssBytes()),
              mib(m.maxHeapBytes()),
              mib(m.floorHeapBytes()),
              m.cpuCores(),
              m.cpuMicrosPerFix()));
    b.append('\n')
        .append(
            ClusterMinuteChart.flatness(
                r.minutes(), 200, s.warmupSeconds(), Math.max(1, s.intervalSeconds())))
        .append('\n');
    b.append("\n```text\n").append(ClusterMinuteChart.text(r.minutes(), 200)).append("```\n");

    ClusterReport.Failover fo = r.failover();
    if (fo != null) {
      b.append("\n## Failover\n\n");
      b.append(
          f(
              "%s killed at %.1f s holding %,d connections. %,d reconnections after the kill (p50 %.0f ms, p99 %.0f ms, max %.0f ms from losing the connection to the next accepted one); %,d fixes resent.%n%n",
              fo.killed(),
              fo.killedAtSecond(),
              fo.connectionsOnKilled(),
              fo.reconnected(),
              fo.reconnectP50Ms(),
              fo.reconnectP99Ms(),
              fo.reconnectMaxMs(),
              fo.resent()));
      b.append("| second after the kill | riders reconnected |\n|---|---|\n");
      for (long[] p : fo.reconnectsPerSecondAfterKill()) b.append(f("| %d | %,d |%n", p[0], p[1]));
      b.append(
          f(
              "%nLive stream on %s: %,d fixes from %,d riders; %,d riders seen after the kill (the last %,d ms after it). "
                  + "Longest silence per rider: p50 %,d ms, p99 %,d ms, max %,d ms.%n",
              fo.liveOn(),
              fo.liveFixes(),
              fo.liveRidersSeen(),
              fo.liveRidersSeenAfterKill(),
              fo.liveMaxFirstFixAfterKillMs(),
              fo.liveGapP50Ms(),
              fo.liveGapP99Ms(),
              fo.liveGapMaxMs()));
    }
    if (!fl.firstError().isEmpty())
      b.append("\nDriver errors: ").append(fl.firstError()).append('\n');
    return b.toString();
  }

  private static String mib(long bytes) {
    return f("%.0f MiB", bytes / 1048576.0);
  }

  private static String ms(double v) {
    return Double.isInfinite(v) ? "+Inf" : f(v < 10 ? "%.2f" : "%.1f", v);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
