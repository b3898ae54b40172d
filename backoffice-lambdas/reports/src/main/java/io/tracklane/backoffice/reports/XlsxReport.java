package io.tracklane.backoffice.reports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.DataFormat;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.WorkbookUtil;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * The report as an .xlsx workbook (Apache POI): one sheet per table, numbers as numeric cells (with
 * a number format per column: 0.000 km, 0.0% rates, #,##0.00 money), a bold frozen header row and
 * column widths from the longest value. Streaming (SXSSF) so a month of 2,000 riders does not hold
 * the whole sheet model in memory.
 */
public final class XlsxReport {
  /** Excel's limit is 255 characters; wider than this is unreadable anyway. */
  private static final int MAX_COLUMN_CHARS = 60;

  private XlsxReport() {}

  public static byte[] render(List<ReportTable> tables) {
    // close() also deletes SXSSF's temporary files
    try (SXSSFWorkbook wb = new SXSSFWorkbook(200)) {
      Styles styles = new Styles(wb);
      for (ReportTable t : tables) sheet(wb, styles, t);
      ByteArrayOutputStream out = new ByteArrayOutputStream(256 * 1024);
      wb.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("writing the workbook", e);
    }
  }

  private static void sheet(Workbook wb, Styles styles, ReportTable t) {
    Sheet sheet = wb.createSheet(WorkbookUtil.createSafeSheetName(t.name()));
    List<ReportTable.Column> columns = t.columns();
    int[] widths = new int[columns.size()];
    Row header = sheet.createRow(0);
    CellStyle[] styleOf = new CellStyle[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      var cell = header.createCell(c);
      cell.setCellValue(columns.get(c).header());
      cell.setCellStyle(styles.header);
      widths[c] = columns.get(c).header().length() + 2;
      styleOf[c] = styles.forColumn(columns.get(c));
    }
    int r = 1;
    for (List<Object> values : t.rows()) {
      Row row = sheet.createRow(r++);
      for (int c = 0; c < values.size(); c++) {
        Object v = values.get(c);
        if (v == null) continue;
        var cell = row.createCell(c);
        if (v instanceof BigDecimal d) {
          cell.setCellValue(d.doubleValue());
          // a column shown "as is" takes the cell's own scale
          cell.setCellStyle(styleOf[c] != null ? styleOf[c] : styles.forScale(d.scale()));
        } else if (v instanceof Long n) {
          cell.setCellValue(n);
          cell.setCellStyle(styles.integer);
        } else {
          cell.setCellValue(v.toString());
        }
        widths[c] = Math.max(widths[c], displayWidth(v));
      }
    }
    for (int c = 0; c < widths.length; c++) {
      sheet.setColumnWidth(c, Math.min(MAX_COLUMN_CHARS, widths[c] + 1) * 256);
    }
    sheet.createFreezePane(0, 1);
  }

  /** Characters a value needs; CJK characters are twice as wide. */
  private static int displayWidth(Object v) {
    String s = v instanceof BigDecimal d ? d.toPlainString() : v.toString();
    int w = 0;
    for (int i = 0; i < s.length(); i++) w += s.charAt(i) >= 0x2E80 ? 2 : 1;
    return w + 2;
  }

  private static final class Styles {
    final Workbook wb;
    final DataFormat format;
    final CellStyle header;
    final CellStyle integer;
    final CellStyle ratio;
    final CellStyle money;
    final Map<Integer, CellStyle> byScale = new HashMap<>();

    Styles(Workbook wb) {
      this.wb = wb;
      this.format = wb.createDataFormat();
      Font bold = wb.createFont();
      bold.setBold(true);
      header = wb.createCellStyle();
      header.setFont(bold);
      integer = withFormat("0");
      ratio = withFormat("0.0%");
      money = withFormat("#,##0.00");
    }

    CellStyle withFormat(String pattern) {
      CellStyle s = wb.createCellStyle();
      s.setDataFormat(format.getFormat(pattern));
      return s;
    }

    /** The column's style, or null when cells keep their own scale. */
    CellStyle forColumn(ReportTable.Column c) {
      return switch (c.kind()) {
        case TEXT -> null;
        case INTEGER -> integer;
        case RATIO -> ratio;
        case MONEY -> money;
        case DECIMAL -> c.scale() < 0 ? null : forScale(c.scale());
      };
    }

    CellStyle forScale(int scale) {
      return byScale.computeIfAbsent(
          Math.max(0, scale), s -> withFormat(s == 0 ? "0" : "0." + "0".repeat(s)));
    }
  }
}
