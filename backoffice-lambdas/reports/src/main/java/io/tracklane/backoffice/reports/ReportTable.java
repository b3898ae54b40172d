package io.tracklane.backoffice.reports;

import java.math.BigDecimal;
import java.util.List;

/**
 * One table of a report as every rendering shows it: a name (the CSV section, the sheet, the HTML
 * heading), typed columns and rows of cells. Cells are {@link String}, {@link Long}, {@link
 * BigDecimal} (already rounded to the column's scale) or null (no value, e.g. an on-time rate
 * without completions).
 */
public record ReportTable(String name, List<Column> columns, List<List<Object>> rows) {
  /** How a column's cells are typed: text, whole numbers, decimals, ratios (shown as %), money. */
  public enum Kind {
    TEXT,
    INTEGER,
    DECIMAL,
    RATIO,
    MONEY
  }

  /** A column: its header and kind; {@code scale} = decimals of DECIMAL, RATIO and MONEY cells. */
  public record Column(String header, Kind kind, int scale) {
    public static Column text(String header) {
      return new Column(header, Kind.TEXT, 0);
    }

    public static Column integer(String header) {
      return new Column(header, Kind.INTEGER, 0);
    }

    public static Column decimal(String header, int scale) {
      return new Column(header, Kind.DECIMAL, scale);
    }

    /** A ratio such as 0.7500 (75 %): 4 decimals in the CSV, a percentage in Excel and HTML. */
    public static Column ratio(String header) {
      return new Column(header, Kind.RATIO, 4);
    }

    public static Column money(String header) {
      return new Column(header, Kind.MONEY, 2);
    }

    public boolean numeric() {
      return kind != Kind.TEXT;
    }
  }

  public ReportTable {
    for (List<Object> row : rows) {
      if (row.size() != columns.size()) {
        throw new IllegalArgumentException(
            name + ": a row of " + row.size() + " cells for " + columns.size() + " columns");
      }
    }
  }

  public int columnIndex(String header) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).header().equals(header)) return i;
    }
    throw new IllegalArgumentException(name + " has no column " + header);
  }
}
