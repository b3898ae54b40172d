package io.tracklane.backoffice.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Postgres-style numbered parameters ({@code $1}, {@code $2}, reused as often as wanted) turned
 * into JDBC's positional {@code ?}: the statements read as Postgres would run them, and the same
 * text works in psql. Literals, quoted names, comments and dollar-quoted bodies are left alone; a
 * literal {@code ?} outside them (a jsonb operator) is escaped for the driver.
 */
final class SqlText {
  private static final Map<String, SqlText> CACHE = new ConcurrentHashMap<>();

  /** The statement for the driver. */
  final String jdbc;

  /** For each {@code ?} in order, the (0-based) index of the argument it takes. */
  final int[] argumentOrder;

  /** How many arguments the statement takes ({@code $n} with the largest n). */
  final int arity;

  private SqlText(String jdbc, int[] argumentOrder, int arity) {
    this.jdbc = jdbc;
    this.argumentOrder = argumentOrder;
    this.arity = arity;
  }

  static SqlText of(String sql) {
    return CACHE.computeIfAbsent(sql, SqlText::translate);
  }

  private static SqlText translate(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    List<Integer> order = new ArrayList<>();
    int arity = 0;
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        int end = closing(sql, i + 1, c);
        out.append(sql, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(sql, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        out.append(sql, i, end);
        i = end;
      } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
        int j = i + 1;
        while (j < n && Character.isDigit(sql.charAt(j))) j++;
        int number = Integer.parseInt(sql.substring(i + 1, j));
        if (number < 1) throw new IllegalArgumentException("parameter $0 in: " + sql);
        order.add(number - 1);
        arity = Math.max(arity, number);
        out.append('?');
        i = j;
      } else if (c == '$') {
        // a dollar-quoted body: $tag$ ... $tag$
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) j++;
        if (j < n && sql.charAt(j) == '$') {
          String tag = sql.substring(i, j + 1);
          int end = sql.indexOf(tag, j + 1);
          end = end < 0 ? n : end + tag.length();
          out.append(sql, i, end);
          i = end;
        } else {
          out.append(c);
          i++;
        }
      } else if (c == '?') {
        out.append("??");
        i++;
      } else {
        out.append(c);
        i++;
      }
    }
    return new SqlText(out.toString(), order.stream().mapToInt(Integer::intValue).toArray(), arity);
  }

  /** The index just past the quote closing one opened before {@code from} ('' or "" escape it). */
  private static int closing(String sql, int from, char quote) {
    int i = from;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }
}
