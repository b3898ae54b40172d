package io.tracklane.backoffice.reports;

import io.tracklane.backoffice.reports.ReportData.DayCount;
import io.tracklane.backoffice.reports.ReportData.MoneyTotals;
import io.tracklane.backoffice.reports.ReportData.RiderRow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.format.TextStyle;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG charts (tasks completed per
 * day, distance per rider — top 20, bonus vs receipts per currency), then the tables. No scripts,
 * fonts or images from anywhere: it opens from a mail attachment or an S3 link alike. Every bar is
 * a {@code <rect class="bar">} with {@code data-label} and {@code data-value}, and a {@code
 * <title>} for the tooltip.
 */
public final class HtmlReport {
  public static final int TOP_RIDERS = 20;
  private static final String[] PALETTE = {"#2563eb", "#047857", "#c2410c"};

  private HtmlReport() {}

  public static byte[] render(ReportData d, List<ReportTable> tables) {
    ReportPeriod p = d.period();
    String title = "Tracklane " + p.type() + "ly report " + p.label();
    StringBuilder h = new StringBuilder(256 * 1024);
    h.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(esc(title))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n")
        .append("<header><h1>")
        .append(esc(title))
        .append("</h1><p class=\"period\">")
        .append(esc(p.start().toString()))
        .append(" – ")
        .append(esc(p.end().minusDays(1).toString()))
        .append(" (")
        .append(esc(p.zone().getId()))
        .append(") · generated ")
        .append(esc(d.generatedAt().toString()))
        .append("</p></header>\n<main>\n");
    h.append("<section class=\"charts\">\n");
    tasksPerDay(h, d.days());
    distancePerRider(h, d.riders());
    for (MoneyTotals m : d.money()) {
      if (m.currency() != null) bonusVsReceipts(h, m);
    }
    h.append("</section>\n");
    for (ReportTable t : tables) {
      if (t.name().equals(ReportTables.REPORT)) continue;
      table(h, t);
    }
    h.append("</main>\n</body>\n</html>\n");
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  // --- charts ----------------------------------------------------------------------------------

  private static void tasksPerDay(StringBuilder h, List<DayCount> days) {
    int n = Math.max(1, days.size());
    int left = 40;
    int top = 16;
    int plotH = 180;
    int slot = Math.max(14, Math.min(64, 640 / n));
    int width = left + slot * n + 16;
    int height = top + plotH + 48;
    long max = Math.max(1, days.stream().mapToLong(DayCount::completed).max().orElse(0));
    long step = niceStep(max);
    long axisMax = ((max + step - 1) / step) * step;
    h.append("<figure><figcaption>Tasks completed per day</figcaption>\n")
        .append(svgOpen("chart-tasks-per-day", width, height, "Tasks completed per day"));
    for (long v = 0; v <= axisMax; v += step) {
      double y = top + plotH - (double) v / axisMax * plotH;
      h.append(
          String.format(
              Locale.ROOT,
              "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>",
              left,
              width - 8,
              y,
              y));
      h.append(
          String.format(
              Locale.ROOT,
              "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>\n",
              left - 6,
              y + 4,
              v));
    }
    for (int i = 0; i < days.size(); i++) {
      DayCount c = days.get(i);
      double bh = (double) c.completed() / axisMax * plotH;
      double x = left + i * slot + slot * 0.15;
      double y = top + plotH - bh;
      String label = c.day().toString();
      h.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"bar\" fill=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                  + "height=\"%.1f\" data-label=\"%s\" data-value=\"%d\"><title>%s: %d</title></rect>",
              PALETTE[0],
              x,
              y,
              slot * 0.7,
              bh,
              label,
              c.completed(),
              label,
              c.completed()));
      // weekly: every day labelled; monthly: every other day
      if (n <= 10 || i % 2 == 0) {
        String tick =
            n <= 10
                ? c.day().getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)
                    + " "
                    + c.day().getDayOfMonth()
                : Integer.toString(c.day().getDayOfMonth());
        h.append(
            String.format(
                Locale.ROOT,
                "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                left + i * slot + slot / 2.0,
                top + plotH + 16,
                esc(tick)));
      }
      h.append('\n');
    }
    h.append("</svg></figure>\n");
  }

  private static void distancePerRider(StringBuilder h, List<RiderRow> riders) {
    List<RiderRow> top =
        riders.stream()
            .filter(r -> r.distanceM() > 0)
            .sorted(
                Comparator.comparingDouble(RiderRow::distanceM)
                    .reversed()
                    .thenComparing(RiderRow::riderId))
            .limit(TOP_RIDERS)
            .toList();
    barsHorizontal(
        h,
        "chart-distance-per-rider",
        "Distance per rider (km), top " + TOP_RIDERS,
        top.stream()
            .map(r -> new Bar(r.displayName(), ReportTables.km(r.distanceM()), PALETTE[1]))
            .toList(),
        "km");
  }

  private static void bonusVsReceipts(StringBuilder h, MoneyTotals m) {
    barsHorizontal(
        h,
        "chart-bonus-receipts-" + m.currency(),
        "Bonus vs receipts (" + m.currency() + ")",
        List.of(
            new Bar("Bonus", m.bonus(), PALETTE[0]),
            new Bar("Receipts accepted", m.receiptsAccepted(), PALETTE[1]),
            new Bar("Receipts pending review", m.receiptsPending(), PALETTE[2])),
        m.currency());
  }

  private record Bar(String label, BigDecimal value, String color) {}

  private static void barsHorizontal(
      StringBuilder h, String id, String caption, List<Bar> bars, String unit) {
    int left = 190;
    int rowH = 22;
    int plotW = 420;
    int width = left + plotW + 90;
    int height = 12 + Math.max(1, bars.size()) * rowH + 8;
    double max = bars.stream().mapToDouble(b -> b.value().doubleValue()).max().orElse(0);
    if (max <= 0) max = 1;
    h.append("<figure><figcaption>")
        .append(esc(caption))
        .append("</figcaption>\n")
        .append(svgOpen(id, width, height, caption));
    if (bars.isEmpty()) {
      h.append("<text class=\"tick\" x=\"12\" y=\"24\">No data in this period</text>");
    }
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      double y = 12 + i * rowH;
      double w = b.value().doubleValue() / max * plotW;
      String name = b.label().length() > 24 ? b.label().substring(0, 23) + "…" : b.label();
      h.append(
          String.format(
              Locale.ROOT,
              "<text class=\"label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
              left - 8,
              y + 14,
              esc(name)));
      h.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"bar\" fill=\"%s\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
                  + "data-label=\"%s\" data-value=\"%s\"><title>%s: %s %s</title></rect>",
              b.color(),
              left,
              y + 2,
              w,
              rowH - 6,
              esc(b.label()),
              b.value().toPlainString(),
              esc(b.label()),
              b.value().toPlainString(),
              esc(unit)));
      h.append(
          String.format(
              Locale.ROOT,
              "<text class=\"value\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
              left + w + 6,
              y + 14,
              esc(b.value().toPlainString())));
    }
    h.append("</svg></figure>\n");
  }

  private static String svgOpen(String id, int width, int height, String label) {
    return String.format(
        Locale.ROOT,
        "<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"%s\" "
            + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
        esc(id),
        esc(label),
        width,
        height,
        width,
        height);
  }

  /** 1, 2 or 5 × 10^n, so that the axis has at most 5 steps. */
  static long niceStep(long max) {
    long step = 1;
    while (true) {
      for (long f : new long[] {1, 2, 5}) {
        if (max / (step * f) <= 5) return step * f;
      }
      step *= 10;
    }
  }

  // --- tables ----------------------------------------------------------------------------------

  private static void table(StringBuilder h, ReportTable t) {
    h.append("<section class=\"table\"><h2>")
        .append(esc(t.name()))
        .append("</h2>\n<table id=\"table-")
        .append(esc(t.name().toLowerCase(Locale.ROOT).replace(' ', '-')))
        .append("\">\n<thead><tr>");
    for (ReportTable.Column c : t.columns()) {
      h.append(c.numeric() ? "<th class=\"num\">" : "<th>").append(esc(c.header())).append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
    for (List<Object> row : t.rows()) {
      h.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        ReportTable.Column c = t.columns().get(i);
        h.append(c.numeric() ? "<td class=\"num\">" : "<td>")
            .append(esc(display(c, row.get(i))))
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    if (t.rows().isEmpty()) {
      h.append("<tr><td colspan=\"")
          .append(t.columns().size())
          .append("\" class=\"empty\">Nothing in this period</td></tr>\n");
    }
    h.append("</tbody></table></section>\n");
  }

  private static String display(ReportTable.Column c, Object v) {
    if (v == null) return "–";
    if (c.kind() == ReportTable.Kind.RATIO && v instanceof BigDecimal d) {
      return d.movePointRight(2).setScale(1, RoundingMode.HALF_UP).toPlainString() + " %";
    }
    if (v instanceof BigDecimal d) return d.toPlainString();
    if (c.kind() == ReportTable.Kind.TEXT && "".equals(v) && c.header().equals("Currency"))
      return "(not read yet)";
    return v.toString();
  }

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }

  private static final String CSS =
      """
      :root { color-scheme: light; --ink: #0f172a; --muted: #475569; --line: #e2e8f0; }
      * { box-sizing: border-box; }
      body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC",
        "Microsoft YaHei", sans-serif; color: var(--ink); background: #f8fafc; }
      header { padding: 20px 28px 12px; background: #0f172a; color: #f8fafc; }
      header h1 { margin: 0 0 4px; font-size: 22px; }
      header .period { margin: 0; color: #cbd5e1; }
      main { padding: 16px 28px 40px; }
      .charts { display: flex; flex-wrap: wrap; gap: 16px; }
      figure { margin: 0; padding: 12px 14px; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
      figcaption { font-weight: 600; margin-bottom: 6px; }
      svg text { font-size: 11px; fill: var(--muted); }
      svg .label { fill: var(--ink); }
      svg .grid { stroke: var(--line); stroke-width: 1; }
      section.table { margin-top: 22px; }
      h2 { font-size: 16px; margin: 0 0 8px; }
      table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); min-width: 40%; }
      th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
      th { background: #f1f5f9; font-weight: 600; }
      .num { text-align: right; font-variant-numeric: tabular-nums; }
      td.empty { color: var(--muted); font-style: italic; }
      """;
}
