package io.tracklane.backoffice.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * One result row, read whole before the statement closes, so it outlives its connection. Values are
 * already Java types ({@link SqlValues#read}); the getters convert between number types and fail
 * naming the column when a value is not what the caller asked for.
 */
public final class DbRow {
  private final List<String> columns;
  private final Object[] values;

  DbRow(List<String> columns, Object[] values) {
    this.columns = columns;
    this.values = values;
  }

  public int size() {
    return values.length;
  }

  public String getColumnName(int index) {
    return columns.get(index);
  }

  /** The column's index, or -1 when the row has no such column. */
  public int getColumnIndex(String column) {
    return columns.indexOf(column);
  }

  public Object getValue(int index) {
    return values[index];
  }

  public Object getValue(String column) {
    return values[index(column)];
  }

  public String getString(int index) {
    return asString(values[index]);
  }

  public String getString(String column) {
    return asString(getValue(column));
  }

  public Long getLong(int index) {
    Number n = number(index);
    return n == null ? null : n.longValue();
  }

  public Long getLong(String column) {
    return getLong(index(column));
  }

  public Integer getInteger(int index) {
    Number n = number(index);
    return n == null ? null : n.intValue();
  }

  public Integer getInteger(String column) {
    return getInteger(index(column));
  }

  public Double getDouble(int index) {
    Number n = number(index);
    return n == null ? null : n.doubleValue();
  }

  public Double getDouble(String column) {
    return getDouble(index(column));
  }

  public BigDecimal getBigDecimal(String column) {
    Object v = getValue(column);
    if (v == null || v instanceof BigDecimal) return (BigDecimal) v;
    if (v instanceof Number n) return new BigDecimal(n.toString());
    throw wrongType(column, v, "a number");
  }

  public Boolean getBoolean(String column) {
    return as(column, Boolean.class);
  }

  public UUID getUUID(String column) {
    Object v = getValue(column);
    if (v instanceof String s) return UUID.fromString(s);
    return as(column, UUID.class);
  }

  public OffsetDateTime getOffsetDateTime(String column) {
    return as(column, OffsetDateTime.class);
  }

  public LocalDateTime getLocalDateTime(String column) {
    return as(column, LocalDateTime.class);
  }

  public LocalDate getLocalDate(String column) {
    return as(column, LocalDate.class);
  }

  public JsonObject getJsonObject(String column) {
    return as(column, JsonObject.class);
  }

  public JsonArray getJsonArray(String column) {
    return as(column, JsonArray.class);
  }

  /** A text[] (or any array) column as strings. */
  public String[] getArrayOfStrings(String column) {
    Object v = getValue(column);
    if (v == null) return null;
    if (v instanceof Object[] a)
      return Arrays.stream(a).map(DbRow::asString).toArray(String[]::new);
    throw wrongType(column, v, "an array");
  }

  private int index(String column) {
    int i = columns.indexOf(column);
    if (i < 0) throw new NoSuchElementException("no column " + column + " in " + columns);
    return i;
  }

  private Number number(int index) {
    Object v = values[index];
    if (v == null || v instanceof Number) return (Number) v;
    throw wrongType(columns.get(index), v, "a number");
  }

  private <T> T as(String column, Class<T> type) {
    Object v = getValue(column);
    if (v == null || type.isInstance(v)) return type.cast(v);
    throw wrongType(column, v, type.getSimpleName());
  }

  private static String asString(Object v) {
    if (v == null || v instanceof String) return (String) v;
    if (v instanceof JsonObject o) return o.encode();
    if (v instanceof JsonArray a) return a.encode();
    return v.toString();
  }

  private static ClassCastException wrongType(String column, Object v, String wanted) {
    return new ClassCastException(
        "column " + column + " holds " + v.getClass().getSimpleName() + ", not " + wanted);
  }

  @Override
  public String toString() {
    return "DbRow" + columns + Arrays.toString(values);
  }
}
