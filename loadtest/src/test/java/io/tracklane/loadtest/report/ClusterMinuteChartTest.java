package io.tracklane.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's per-minute verdicts: minutes over the target and growth after warm-up. */
class ClusterMinuteChartTest {
  private static final long MIB = 1048576L;

  private static ClusterReport.Minute minute(int n, double p99, long rssMib, long floorMib) {
    return new ClusterReport.Minute(
        n, 1900, p99, p99 * 2, rssMib * MIB, (floorMib + 100) * MIB, floorMib * MIB, 0.5, 250);
  }

  @Test
  void namesEveryMinuteOverTheTargetAndMeasuresGrowthFromTheThirdMinute() {
    List<ClusterReport.Minute> ms = new ArrayList<>();
    ms.add(minute(1, 900, 300, 80)); // warm-up: not the baseline
    ms.add(minute(2, 150, 380, 90));
    ms.add(minute(3, 120, 400, 100));
    ms.add(minute(4, 250, 410, 104));
    ms.add(minute(5, 110, 420, 105));
    String s = ClusterMinuteChart.flatness(ms, 200);
    assertTrue(s.contains("**3 of 5** measured minutes"), s);
    assertTrue(s.contains("minute 1 (900 ms), 4 (250 ms)"), s);
    assertTrue(s.contains("minute 3 → 5"), s);
    assertTrue(s.contains("400 MiB → 420 MiB (+5.0 %)"), s);
    assertTrue(s.contains("100 MiB → 105 MiB (+5.0 %)"), s);
  }

  @Test
  void minutesWhollyInsideTheWarmupAreNamedButNotCounted() {
    List<ClusterReport.Minute> ms =
        List.of(
            minute(1, 9000, 300, 80),
            minute(2, 150, 380, 90),
            minute(3, 120, 400, 100),
            minute(4, 130, 404, 100));
    String s = ClusterMinuteChart.flatness(ms, 200, 60, 60);
    assertTrue(s.contains("**3 of 3** measured minutes"), s);
    assertTrue(s.contains("warm-up (not counted): minute 1 (9000 ms)"), s);
    // a 10 s warm-up leaves most of minute 1 measured: it counts
    String t = ClusterMinuteChart.flatness(ms, 200, 10, 60);
    assertTrue(t.contains("**3 of 4** measured minutes; over it: minute 1 (9000 ms)"), t);
  }

  @Test
  void aStalledMinuteIsClippedSoTheOthersStayReadable() {
    String t = ClusterMinuteChart.text(List.of(minute(1, 9000, 1, 1), minute(2, 100, 1, 1)), 200);
    String[] lines = t.split("\n");
    assertTrue(lines[1].contains(">"), lines[1]);
    // the scale ends at 800 ms: 100 ms is an eighth of the bar
    assertEquals(6, lines[2].chars().filter(c -> c == '#').count(), lines[2]);
  }

  @Test
  void growthIsMeasuredToTheLastFullMinuteNotTheRidesShortTail() {
    List<ClusterReport.Minute> ms = new ArrayList<>();
    for (int i = 1; i <= 6; i++) ms.add(minute(i, 40, 680 + i, 250));
    // the ride's last few seconds: few fixes, one late heap sample
    ms.add(new ClusterReport.Minute(7, 68, 65, 65, 694 * MIB, 427 * MIB, 424 * MIB, 1.5, 170));
    String s = ClusterMinuteChart.flatness(ms, 200);
    assertTrue(s.contains("minute 3 → 6"), s);
    assertTrue(s.contains("heap floor 250 MiB → 250 MiB (+0.0 %)"), s);
  }

  @Test
  void theTextChartMarksMinutesOverTheTarget() {
    String t = ClusterMinuteChart.text(List.of(minute(1, 400, 1, 1), minute(2, 100, 1, 1)), 200);
    String[] lines = t.split("\n");
    assertEquals(3, lines.length, t);
    assertTrue(lines[1].endsWith("400.0 ms !"), lines[1]);
    assertTrue(lines[2].endsWith("100.0 ms"), lines[2]);
    // 400 ms fills the bar, 100 ms a quarter of it
    assertEquals(49, lines[1].chars().filter(c -> c == '#').count(), lines[1]);
    assertEquals(13, lines[2].chars().filter(c -> c == '#').count(), lines[2]);
  }

  @Test
  void theSvgDrawsOneLineForTheTailAndTwoForMemory() {
    String svg = ClusterMinuteChart.svg(List.of(minute(1, 50, 300, 80), minute(2, 60, 310, 82)));
    assertEquals(3, svg.split("<polyline").length - 1, svg);
    assertTrue(svg.contains("stroke-dasharray"), svg);
    String stalled =
        ClusterMinuteChart.svg(List.of(minute(1, 9000, 300, 80), minute(2, 60, 310, 82)));
    assertTrue(stalled.contains("clipped at 800 ms"), stalled);
    assertTrue(stalled.contains(">800</text>"), stalled);
  }

  @Test
  void aReportWrittenBeforeTheHeapFloorExistedReadsBackWithAZeroFloor() {
    ClusterReport.Minute m = minute(7, 88.5, 512, 140);
    JsonObject json = (JsonObject) ClusterReportWriter.toJson(m);
    assertEquals(m, ClusterReportWriter.fromJson(json, ClusterReport.Minute.class));
    json.remove("floorHeapBytes");
    ClusterReport.Minute old =
        (ClusterReport.Minute) ClusterReportWriter.fromJson(json, ClusterReport.Minute.class);
    assertEquals(0, old.floorHeapBytes());
    assertEquals(512 * MIB, old.maxRssBytes());
    assertEquals(88.5, old.p99Ms());
  }
}
