package io.tracklane.loadtest.report;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The per-minute view of a long run (the soak): whether every minute kept the ack target, whether
 * memory stayed flat after warm-up, as a sentence, a text chart for the terminal and the Markdown,
 * and an SVG.
 */
public final class ClusterMinuteChart {
  private static final int BAR = 50;

  private ClusterMinuteChart() {}

  /**
   * The first minute counted as steady: the third of a run of five minutes or more (two minutes of
   * JIT and connection storm), else the second.
   */
  static int firstSteadyIndex(List<ClusterReport.Minute> minutes) {
    return minutes.size() >= 5 ? 2 : Math.min(1, Math.max(0, minutes.size() - 1));
  }

  /**
   * The last minute at full rate: the run's final interval is usually cut short by the end of the
   * ride (a few seconds of samples), which says nothing about growth.
   */
  static int lastFullIndex(List<ClusterReport.Minute> minutes) {
    double[] rates =
        minutes.stream().mapToDouble(ClusterReport.Minute::fixesPerSecond).sorted().toArray();
    double median = rates[rates.length / 2];
    int i = minutes.size() - 1;
    while (i > 0 && minutes.get(i).fixesPerSecond() < 0.9 * median) i--;
    return i;
  }

  /** One paragraph: minutes over the target, and RSS / heap-floor growth after warm-up. */
  public static String flatness(List<ClusterReport.Minute> minutes, double targetMs) {
    return flatness(minutes, targetMs, 0, 60);
  }

  /** Whether a minute lies wholly inside the unmeasured warm-up. */
  static boolean inWarmup(ClusterReport.Minute m, long warmupSeconds, long intervalSeconds) {
    return (long) m.minute() * intervalSeconds <= warmupSeconds;
  }

  /**
   * One paragraph: minutes over the target (minutes wholly inside the warm-up are named but not
   * counted), and RSS / heap-floor growth after warm-up.
   */
  public static String flatness(
      List<ClusterReport.Minute> minutes,
      double targetMs,
      long warmupSeconds,
      long intervalSeconds) {
    if (minutes.isEmpty()) return "No full minute was recorded.";
    StringBuilder over = new StringBuilder();
    StringBuilder warm = new StringBuilder();
    int kept = 0;
    int counted = 0;
    for (ClusterReport.Minute m : minutes) {
      if (inWarmup(m, warmupSeconds, intervalSeconds)) {
        warm.append(warm.length() == 0 ? "" : ", ")
            .append(f("%d (%.0f ms)", m.minute(), m.p99Ms()));
        continue;
      }
      counted++;
      if (m.p99Ms() <= targetMs) kept++;
      else
        over.append(over.length() == 0 ? "" : ", ")
            .append(f("%d (%.0f ms)", m.minute(), m.p99Ms()));
    }
    StringBuilder b = new StringBuilder();
    b.append(
        f(
            "p99 ack ≤ %.0f ms in **%d of %d** measured minutes%s%s.",
            targetMs,
            kept,
            counted,
            over.length() == 0 ? "" : "; over it: minute " + over,
            warm.length() == 0 ? "" : "; warm-up (not counted): minute " + warm));
    int s = firstSteadyIndex(minutes);
    while (s < minutes.size() - 1 && inWarmup(minutes.get(s), warmupSeconds, intervalSeconds)) s++;
    ClusterReport.Minute from = minutes.get(s);
    ClusterReport.Minute to = minutes.get(lastFullIndex(minutes));
    if (to.minute() > from.minute()) {
      b.append(
          f(
              " After warm-up (minute %d → %d): largest RSS %s → %s (%s), heap floor %s → %s (%s),"
                  + " heap maximum %s → %s (%s).",
              from.minute(),
              to.minute(),
              mib(from.maxRssBytes()),
              mib(to.maxRssBytes()),
              growth(from.maxRssBytes(), to.maxRssBytes()),
              mib(from.floorHeapBytes()),
              mib(to.floorHeapBytes()),
              growth(from.floorHeapBytes(), to.floorHeapBytes()),
              mib(from.maxHeapBytes()),
              mib(to.maxHeapBytes()),
              growth(from.maxHeapBytes(), to.maxHeapBytes())));
    }
    return b.toString();
  }

  /**
   * Bars of p99 ack per minute; a minute over the target is marked with '!'. The scale ends at 4×
   * the target so that one stalled minute does not flatten the others; a longer bar ends in '>'.
   */
  public static String text(List<ClusterReport.Minute> minutes, double targetMs) {
    double max = targetMs;
    for (ClusterReport.Minute m : minutes) max = Math.max(max, m.p99Ms());
    max = Math.min(max, 4 * targetMs);
    int targetAt = (int) Math.round(targetMs / max * BAR);
    StringBuilder b = new StringBuilder();
    b.append(f("p99 ack per minute (| marks %.0f ms)%n", targetMs));
    for (ClusterReport.Minute m : minutes) {
      boolean clipped = m.p99Ms() > max;
      int n = (int) Math.round(Math.min(m.p99Ms(), max) / max * BAR);
      StringBuilder bar = new StringBuilder();
      for (int i = 0; i < BAR; i++) {
        if (i == targetAt) bar.append('|');
        else if (clipped && i == BAR - 1) bar.append('>');
        else bar.append(i < n ? '#' : ' ');
      }
      b.append(
          f("%3d %s %7.1f ms%s%n", m.minute(), bar, m.p99Ms(), m.p99Ms() > targetMs ? " !" : ""));
    }
    return b.toString();
  }

  /** Two line charts: p99 ack per minute against the target; largest RSS and heap floor. */
  public static String svg(List<ClusterReport.Minute> minutes) {
    int width = 900;
    int panel = 220;
    StringBuilder s = new StringBuilder();
    s.append(
        f(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n",
            width, 2 * panel + 60));
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    double ackMax = 200;
    for (ClusterReport.Minute m : minutes) ackMax = Math.max(ackMax, m.p99Ms());
    // as in the text chart: one stalled minute must not flatten the others
    boolean clipped = ackMax > 800;
    double scale = Math.min(ackMax, 800);
    panel(
        s,
        minutes,
        10,
        width,
        panel,
        "p99 ack per minute (ms); dashed: 200 ms" + (clipped ? "; clipped at 800 ms" : ""),
        scale,
        200);
    line(s, minutes, m -> Math.min(m.p99Ms(), scale), 10, width, panel, scale, "#c0592b");
    double memMax = 1;
    for (ClusterReport.Minute m : minutes) memMax = Math.max(memMax, m.maxRssBytes() / 1048576.0);
    int top2 = panel + 40;
    panel(
        s,
        minutes,
        top2,
        width,
        panel,
        "largest RSS (blue) and heap floor (green), MiB",
        memMax,
        -1);
    line(s, minutes, m -> m.maxRssBytes() / 1048576.0, top2, width, panel, memMax, "#2f6db5");
    line(s, minutes, m -> m.floorHeapBytes() / 1048576.0, top2, width, panel, memMax, "#3a8f3a");
    s.append("</svg>\n");
    return s.toString();
  }

  private static void panel(
      StringBuilder s,
      List<ClusterReport.Minute> minutes,
      int top,
      int width,
      int h,
      String title,
      double max,
      double dashedAt) {
    int left = 60;
    int plotTop = top + 20;
    int plotH = h - 40;
    s.append(f("<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", left, top + 12, title));
    s.append(
        f(
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
            left, plotTop, width - left - 20, plotH));
    s.append(f("<text x=\"5\" y=\"%d\">%.0f</text>%n", plotTop + 10, max));
    s.append(f("<text x=\"5\" y=\"%d\">0</text>%n", plotTop + plotH));
    if (!minutes.isEmpty())
      s.append(
          f(
              "<text x=\"%d\" y=\"%d\">minute %d … %d</text>%n",
              left,
              plotTop + plotH + 15,
              minutes.get(0).minute(),
              minutes.get(minutes.size() - 1).minute()));
    if (dashedAt > 0) {
      double y = plotTop + plotH - dashedAt / max * plotH;
      s.append(
          f(
              "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#666\" stroke-dasharray=\"6 4\"/>%n",
              left, width - 20, y, y));
    }
  }

  private static void line(
      StringBuilder s,
      List<ClusterReport.Minute> minutes,
      ToDoubleFunction<ClusterReport.Minute> value,
      int top,
      int width,
      int h,
      double max,
      String color) {
    if (minutes.isEmpty()) return;
    int left = 60;
    int plotTop = top + 20;
    int plotH = h - 40;
    double plotW = width - left - 20;
    StringBuilder pts = new StringBuilder();
    int n = minutes.size();
    for (int i = 0; i < n; i++) {
      double x = left + (n == 1 ? plotW / 2 : i * plotW / (n - 1));
      double y = plotTop + plotH - value.applyAsDouble(minutes.get(i)) / max * plotH;
      pts.append(f("%.1f,%.1f ", x, y));
    }
    s.append(
        f(
            "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
            pts.toString().trim(), color));
  }

  static String growth(long from, long to) {
    if (from <= 0) return "n/a";
    return f("%+.1f %%", (to - from) * 100.0 / from);
  }

  private static String mib(long bytes) {
    return f("%.0f MiB", bytes / 1048576.0);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
