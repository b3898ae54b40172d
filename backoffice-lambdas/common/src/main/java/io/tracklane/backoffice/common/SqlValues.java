package io.tracklane.backoffice.common;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.UUID;
import org.postgresql.util.PGobject;

/**
 * Java values to statement parameters and result columns back to Java values: timestamptz as {@link
 * OffsetDateTime} (UTC), date as {@link LocalDate}, json/jsonb as {@link JsonObject} or {@link
 * JsonArray}, uuid as {@link UUID}, numeric as {@link BigDecimal}, arrays as Object[].
 */
final class SqlValues {
  private SqlValues() {}

  static void bind(Connection conn, PreparedStatement st, int position, Object v)
      throws SQLException {
    if (v == null) {
      st.setNull(position, Types.NULL);
    } else if (v instanceof String s) {
      st.setString(position, s);
    } else if (v instanceof Integer i) {
      st.setInt(position, i);
    } else if (v instanceof Long l) {
      st.setLong(position, l);
    } else if (v instanceof Short s) {
      st.setShort(position, s);
    } else if (v instanceof Double d) {
      st.setDouble(position, d);
    } else if (v instanceof Float f) {
      st.setFloat(position, f);
    } else if (v instanceof BigDecimal d) {
      st.setBigDecimal(position, d);
    } else if (v instanceof Boolean b) {
      st.setBoolean(position, b);
    } else if (v instanceof Instant t) {
      st.setObject(position, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    } else if (v instanceof OffsetDateTime
        || v instanceof LocalDate
        || v instanceof LocalDateTime
        || v instanceof UUID) {
      st.setObject(position, v);
    } else if (v instanceof JsonObject || v instanceof JsonArray) {
      PGobject json = new PGobject();
      json.setType("jsonb");
      json.setValue(v instanceof JsonObject o ? o.encode() : ((JsonArray) v).encode());
      st.setObject(position, json);
    } else if (v instanceof byte[] bytes) {
      st.setBytes(position, bytes);
    } else if (v instanceof Buffer b) {
      st.setBytes(position, b.getBytes());
    } else if (v instanceof Enum<?> e) {
      st.setString(position, e.name());
    } else if (v instanceof Object[] || v instanceof Collection<?>) {
      Object[] items = v instanceof Collection<?> c ? c.toArray() : (Object[]) v;
      st.setArray(position, conn.createArrayOf(elementType(items), items));
    } else {
      throw new IllegalArgumentException(
          "cannot bind a " + v.getClass().getName() + " as parameter " + position);
    }
  }

  private static String elementType(Object[] items) {
    for (Object o : items) {
      if (o instanceof Integer) return "int4";
      if (o instanceof Long) return "int8";
      if (o instanceof Double) return "float8";
      if (o instanceof UUID) return "uuid";
      if (o instanceof Boolean) return "bool";
      if (o != null) return "text";
    }
    return "text";
  }

  /** Column {@code i} (1-based) of the current row, as a Java value. */
  static Object read(ResultSet rs, int i, String type) throws SQLException {
    Object raw;
    switch (type) {
      case "timestamptz" -> {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
      }
      case "timestamp" -> {
        return rs.getObject(i, LocalDateTime.class);
      }
      case "date" -> {
        return rs.getObject(i, LocalDate.class);
      }
      case "json", "jsonb" -> {
        String text = rs.getString(i);
        if (text == null) return null;
        String t = text.stripLeading();
        if (t.startsWith("{")) return new JsonObject(text);
        if (t.startsWith("[")) return new JsonArray(text);
        return Json.decodeValue(text);
      }
      case "int2", "int4" -> raw = rs.getInt(i);
      case "int8" -> raw = rs.getLong(i);
      case "float4", "float8" -> raw = rs.getDouble(i);
      case "bool" -> raw = rs.getBoolean(i);
      default -> {
        Object o = rs.getObject(i);
        if (o instanceof Array a) {
          try {
            return a.getArray();
          } finally {
            a.free();
          }
        }
        if (o instanceof PGobject pg) return pg.getValue();
        return o;
      }
    }
    return rs.wasNull() ? null : raw;
  }
}
