package io.tracklane.backoffice.reports;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The report as one CSV file with sections, UTF-8 with a byte-order mark (without it Excel reads
 * the file as the local ANSI code page and garbles Chinese names). Each section is a line holding
 * {@code # <table name>} in its first cell, the header row, the rows, and an empty line. Numbers
 * are plain decimals with a dot (no thousands separators, no % signs: ratios are 0.7500); fields
 * are quoted as RFC 4180 says, lines end with CRLF.
 */
public final class CsvReport {
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private CsvReport() {}

  public static byte[] render(List<ReportTable> tables) {
    StringBuilder out = new StringBuilder(64 * 1024);
    for (ReportTable t : tables) {
      line(out, List.of("# " + t.name()));
      line(
          out,
          t.columns().stream().map(ReportTable.Column::header).map(Object.class::cast).toList());
      for (List<Object> row : t.rows()) line(out, row);
      out.append("\r\n");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(out.length() * 2 + 3);
    bytes.writeBytes(BOM);
    bytes.writeBytes(out.toString().getBytes(StandardCharsets.UTF_8));
    return bytes.toByteArray();
  }

  private static void line(StringBuilder out, List<Object> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) out.append(',');
      out.append(field(cells.get(i)));
    }
    out.append("\r\n");
  }

  static String field(Object cell) {
    if (cell == null) return "";
    String s = cell instanceof BigDecimal d ? d.toPlainString() : cell.toString();
    // a leading = + - @ makes Excel evaluate a formula: text cells starting so are prefixed with '
    if (!(cell instanceof Number) && !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) s = "'" + s;
    boolean quote =
        s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }
}
