package io.tracklane.backoffice.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The report of a seeded dataset ({@link ReportTestKit#seed()}) against figures computed by hand:
 * the whole CSV, the Asia/Shanghai week boundary, a receipt correction, the workbook and the HTML.
 */
class ReportContentTest {
  /** Week 2026-W47 of the seeded data, computed by hand (the comments of ReportTestKit.seed). */
  static final String W47_CSV =
      """
      # Report
      Field,Value
      Period,week
      Label,2026-W47
      First day,2026-11-16
      Last day,2026-11-22
      Time zone,Asia/Shanghai
      From,2026-11-16T00:00:00+08:00
      Until (exclusive),2026-11-23T00:00:00+08:00
      Previous period,2026-W46
      Generated at,2026-12-02T04:00:00Z

      # Summary
      Metric,This period,Previous period,Change,Change %
      Tasks claimed,8,2,6,3.0000
      Tasks completed,4,2,2,1.0000
      Completed on time,3,1,2,2.0000
      On-time rate,0.7500,0.5000,0.2500,
      Tasks cancelled,1,0,1,
      Distance (km),20.000,7.000,13.000,1.8571
      Active time (h),1.89,0.72,1.17,1.6250
      Off-route alerts,6,0,6,
      Active riders,2,2,0,0.0000

      # Money
      Currency,Bonus,Previous bonus,Bonus change,Receipts accepted,Previous receipts accepted,Receipts accepted change,Accepted receipts,Receipts pending review,Pending receipts
      CNY,33.50,15.00,18.50,42.40,20.00,22.40,2,7.60,1
      MYR,20.00,9.00,11.00,45.00,5.00,40.00,1,15.00,1
      ,0.00,0.00,0.00,0.00,0.00,0.00,0,0.00,1

      # Riders
      Rider,Username,Rider id,Claimed,Completed,On time,On-time rate,Cancelled,Distance (km),Active time (h),Off-route alerts,Tracked rides,Fixes received / expected,Gaps > 60 s,Longest gap (min),Uploaded late
      Aisha Tan,aisha,r2,3,2,2,1.0000,1,12.000,1.14,5,1,1.0000,1,1.3,0.1000
      张伟,zhangwei,r1,5,2,1,0.5000,0,8.000,0.75,1,2,0.9000,2,5.0,0.1071

      # Rider money
      Rider,Rider id,Currency,Bonus,Receipts accepted,Accepted receipts,Receipts pending review,Pending receipts
      Aisha Tan,r2,CNY,8.00,0.00,0,0.00,0
      Aisha Tan,r2,MYR,20.00,45.00,1,15.00,1
      Aisha Tan,r2,,0.00,0.00,0,0.00,1
      张伟,r1,CNY,25.50,42.40,2,7.60,1

      # Routes
      Route,Route lineage id,Runs,On time,Median duration (min),P90 duration (min),Off-route alerts,Distance (km)
      Pudong run,LB,2,2,40.0,56.0,5,12.000
      外滩 loop,LA,2,1,25.0,29.0,1,8.000

      # Tasks per day
      Day,Tasks completed
      2026-11-16,1
      2026-11-17,0
      2026-11-18,1
      2026-11-19,1
      2026-11-20,0
      2026-11-21,0
      2026-11-22,1

      """;

  ReportTestKit kit;

  @BeforeEach
  void setUp() throws Exception {
    kit = new ReportTestKit();
    kit.seed();
  }

  @AfterEach
  void tearDown() throws Exception {
    kit.close();
  }

  @Test
  void everyFigureOfTheWeeklyCsvEqualsTheHandComputedValue() {
    var res = kit.generate("week", "2026-11-16");
    assertEquals(202, res.status(), res.body().encode());
    Report report = kit.report(res.body().getString("id"));
    byte[] bytes = kit.service.storage().read(report.csvKey());
    assertArrayEquals(
        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, Arrays.copyOf(bytes, 3), "UTF-8 BOM");
    String csv = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    assertEquals(W47_CSV.replace("\n", "\r\n"), csv);
    // the row's headline figures are the Summary's
    JsonObject body = res.body();
    assertEquals("2026-W47", body.getString("label"));
    assertEquals(8, body.getInteger("tasksClaimed"));
    assertEquals(4, body.getInteger("tasksCompleted"));
    assertEquals(1, body.getInteger("tasksCancelled"));
    assertEquals(0.75, body.getDouble("onTimeRate"));
    assertEquals(20.0, body.getDouble("distanceKm"));
    assertEquals(2, body.getInteger("activeRiders"));
    assertEquals("ready", body.getString("status"));
    assertEquals(1, body.getInteger("generation"));
    assertEquals("reports/week/2026-W47/g1/tracklane-week-2026-W47.csv", report.csvKey());
  }

  @Test
  void theWeekEndsAtMidnightInShanghaiNotUtc() {
    // T2 completed Sunday 23:30 +08:00 (15:30 UTC) is in W47 (its Sunday has one task) ...
    Map<String, List<List<String>>> w47 =
        sections(kit.csv(kit.report(kit.generate("week", "2026-11-16").body().getString("id"))));
    assertEquals(List.of("2026-11-22", "1"), w47.get("Tasks per day").get(6));
    // ... T5 completed Monday 00:30 +08:00 (Sunday 16:30 UTC) in W48, although it was claimed in
    // W47
    var res = kit.generate("week", "2026-11-23");
    assertEquals(202, res.status(), res.body().encode());
    Map<String, List<List<String>>> w48 = sections(kit.csv(kit.report(res.body().getString("id"))));
    assertEquals(List.of("2026-11-23", "1"), w48.get("Tasks per day").get(0));
    // T5 has no stored track completeness (completed before V10): no ratio, no longest gap, no
    // share
    assertEquals(
        List.of(
            List.of(
                "张伟",
                "zhangwei",
                "r1",
                "0",
                "1",
                "1",
                "1.0000",
                "0",
                "2.000",
                "0.47",
                "0",
                "0",
                "",
                "0",
                "",
                "")),
        w48.get("Riders"));
    assertEquals(
        List.of(List.of("张伟", "r1", "CNY", "5.00", "0.00", "0", "0.00", "0")),
        w48.get("Rider money"));
    assertEquals(List.of("Tasks claimed", "0", "8", "-8", "-1.0000"), w48.get("Summary").get(0));
    // and November (1st to 30th, Beijing time) holds all of them: T1..T5, T9, T10
    var month = kit.generate("month", "2026-11-01");
    assertEquals(202, month.status(), month.body().encode());
    assertEquals(7, month.body().getInteger("tasksCompleted"));
    assertEquals("2026-11", month.body().getString("label"));
  }

  @Test
  void aReceiptCorrectionChangesExactlyTheAffectedFigures() {
    var first = kit.generate("week", "2026-11-16");
    Report before = kit.report(first.body().getString("id"));
    List<String> oldLines = Arrays.asList(kit.csv(before).split("\r\n", -1));
    // a manager confirms R3 with a corrected amount, as PATCH /receipts/{id} does
    kit.sql(
        "UPDATE receipts SET status = 'confirmed', amount = 8.60, reviewed_by = 'm1', reviewed_at = now(), "
            + "updated_at = now() WHERE id = 'R3'");
    var again = kit.generate("week", "2026-11-16");
    assertEquals(
        202, again.status(), "a regenerated period answers 202 too: " + again.body().encode());
    Report after = kit.report(again.body().getString("id"));
    assertEquals(before.id(), after.id(), "the period keeps its row");
    assertEquals(2, after.generation());
    List<String> newLines = Arrays.asList(kit.csv(after).split("\r\n", -1));
    assertEquals(oldLines.size(), newLines.size());
    Map<String, String> changed = new LinkedHashMap<>();
    for (int i = 0; i < oldLines.size(); i++) {
      if (!oldLines.get(i).equals(newLines.get(i))) changed.put(oldLines.get(i), newLines.get(i));
    }
    assertEquals(
        Map.of(
            "CNY,33.50,15.00,18.50,42.40,20.00,22.40,2,7.60,1",
                "CNY,33.50,15.00,18.50,51.00,20.00,31.00,3,0.00,0",
            "张伟,r1,CNY,25.50,42.40,2,7.60,1", "张伟,r1,CNY,25.50,51.00,3,0.00,0"),
        changed);
    // the old generation's files are gone, the new ones are where the row says
    assertEquals(
        List.of(after.csvKey(), after.htmlKey(), after.xlsxKey()).stream().sorted().toList(),
        kit.s3.keys("reports/week/2026-W47/"));
    assertTrue(after.csvKey().contains("/g2/"));
    assertFalse(kit.service.storage().exists(before.csvKey()));
  }

  @Test
  void theWorkbookOpensWithPoiAndHasTypedNumericCells() throws Exception {
    Report report = kit.report(kit.generate("week", "2026-11-16").body().getString("id"));
    try (XSSFWorkbook wb =
        new XSSFWorkbook(new ByteArrayInputStream(kit.service.storage().read(report.xlsxKey())))) {
      List<String> names = new ArrayList<>();
      wb.forEach(s -> names.add(s.getSheetName()));
      assertEquals(
          List.of("Report", "Summary", "Money", "Riders", "Rider money", "Routes", "Tasks per day"),
          names);
      Sheet riders = wb.getSheet("Riders");
      assertEquals("Rider", riders.getRow(0).getCell(0).getStringCellValue());
      assertEquals(
          1, riders.getPaneInformation().getHorizontalSplitPosition(), "header row frozen");
      Row zhang = riders.getRow(2);
      assertEquals("张伟", zhang.getCell(0).getStringCellValue());
      Cell claimed = zhang.getCell(3);
      assertEquals(CellType.NUMERIC, claimed.getCellType());
      assertEquals(5.0, claimed.getNumericCellValue());
      assertEquals(CellType.NUMERIC, zhang.getCell(6).getCellType());
      assertEquals(0.5, zhang.getCell(6).getNumericCellValue());
      assertEquals("0.0%", zhang.getCell(6).getCellStyle().getDataFormatString());
      assertEquals(8.0, zhang.getCell(8).getNumericCellValue());
      assertEquals("0.000", zhang.getCell(8).getCellStyle().getDataFormatString());
      assertTrue(riders.getColumnWidth(0) >= 10 * 256, "column widths set");
      Row cny = wb.getSheet("Money").getRow(1);
      assertEquals("CNY", cny.getCell(0).getStringCellValue());
      assertEquals(33.5, cny.getCell(1).getNumericCellValue());
      assertEquals("#,##0.00", cny.getCell(1).getCellStyle().getDataFormatString());
      Row pudong = wb.getSheet("Routes").getRow(1);
      assertEquals(56.0, pudong.getCell(5).getNumericCellValue());
      // every numeric column of every sheet holds numeric cells, never text
      for (Sheet sheet : wb) {
        for (Row row : sheet) {
          if (row.getRowNum() == 0) continue;
          for (Cell c : row) {
            String header = sheet.getRow(0).getCell(c.getColumnIndex()).getStringCellValue();
            boolean text =
                header.equals("Rider")
                    || header.equals("Username")
                    || header.equals("Rider id")
                    || header.equals("Currency")
                    || header.equals("Route")
                    || header.equals("Route lineage id")
                    || header.equals("Metric")
                    || header.equals("Day")
                    || sheet.getSheetName().equals("Report");
            assertEquals(
                text ? CellType.STRING : CellType.NUMERIC,
                c.getCellType(),
                sheet.getSheetName() + "!" + c.getAddress() + " (" + header + ")");
          }
        }
      }
    }
  }

  @Test
  void theHtmlReportHasItsChartsInline() {
    Report report = kit.report(kit.generate("week", "2026-11-16").body().getString("id"));
    String html = new String(kit.service.storage().read(report.htmlKey()), StandardCharsets.UTF_8);
    assertFalse(html.contains("<script"), "no scripts");
    assertFalse(
        Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(),
        "nothing loaded from elsewhere");
    assertEquals(
        Map.of(
            "2026-11-16",
            "1",
            "2026-11-17",
            "0",
            "2026-11-18",
            "1",
            "2026-11-19",
            "1",
            "2026-11-20",
            "0",
            "2026-11-21",
            "0",
            "2026-11-22",
            "1"),
        bars(html, "chart-tasks-per-day"));
    Map<String, String> distance = bars(html, "chart-distance-per-rider");
    assertEquals(List.of("Aisha Tan", "张伟"), List.copyOf(distance.keySet()), "longest first");
    assertEquals(List.of("12.000", "8.000"), List.copyOf(distance.values()));
    assertEquals(
        Map.of("Bonus", "33.50", "Receipts accepted", "42.40", "Receipts pending review", "7.60"),
        bars(html, "chart-bonus-receipts-CNY"));
    assertEquals(
        Map.of("Bonus", "20.00", "Receipts accepted", "45.00", "Receipts pending review", "15.00"),
        bars(html, "chart-bonus-receipts-MYR"));
    assertTrue(html.contains("<td>外滩 loop</td>"), "tables in the page");
  }

  /** The bars of one chart: data-label → data-value, in document order. */
  static Map<String, String> bars(String html, String chartId) {
    int start = html.indexOf("<svg id=\"" + chartId + "\"");
    assertNotEquals(-1, start, "chart " + chartId);
    String svg = html.substring(start, html.indexOf("</svg>", start));
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("<rect class=\"bar\"[^>]*data-label=\"([^\"]*)\" data-value=\"([^\"]*)\"")
            .matcher(svg);
    while (m.find()) out.put(m.group(1), m.group(2));
    return out;
  }

  /** The CSV's sections: name → data rows (without the header). */
  static Map<String, List<List<String>>> sections(String csv) {
    if (csv.startsWith("\uFEFF")) csv = csv.substring(1);
    Map<String, List<List<String>>> out = new LinkedHashMap<>();
    List<List<String>> current = null;
    boolean header = false;
    for (String line : csv.split("\r\n")) {
      if (line.startsWith("# ")) {
        current = new ArrayList<>();
        out.put(line.substring(2), current);
        header = true;
      } else if (line.isEmpty()) {
        current = null;
      } else if (header) {
        header = false;
      } else if (current != null) {
        current.add(Arrays.asList(line.split(",", -1)));
      }
    }
    return out;
  }
}
