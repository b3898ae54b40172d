package io.tracklane.backoffice.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Statements on one connection (inside {@link Database#inTransaction} or {@link
 * Database#withSession}). Parameters are written {@code $1}, {@code $2} as in Postgres and given as
 * arguments in that order; rows come back read whole. An array parameter is passed as a {@code
 * List} (a lone {@code String[]} would be taken by Java as the whole argument list).
 */
public final class SqlSession {
  /** Seconds before the driver cancels a statement (the old reactive pool's wait). */
  static final int STATEMENT_TIMEOUT_SECONDS = 30;

  private final Connection conn;

  SqlSession(Connection conn) {
    this.conn = conn;
  }

  /** Runs a statement and returns its rows (none for a statement without RETURNING). */
  public DbRows query(String sql, Object... args) {
    try {
      if (args.length == 0) {
        try (Statement st = conn.createStatement()) {
          st.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
          return st.execute(sql) ? rows(st.getResultSet()) : new DbRows(List.of());
        }
      }
      try (PreparedStatement st = prepare(sql, args)) {
        return st.execute() ? rows(st.getResultSet()) : new DbRows(List.of());
      }
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  /** The first row of {@link #query}, or null when there is none. */
  public DbRow one(String sql, Object... args) {
    return query(sql, args).first();
  }

  /** Runs an INSERT, UPDATE or DELETE without RETURNING; the number of rows it touched. */
  public int update(String sql, Object... args) {
    try (PreparedStatement st = prepare(sql, args)) {
      return st.executeUpdate();
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  /** Runs one statement once per argument list, in one round trip per batch. */
  public int[] batch(String sql, List<Object[]> argLists) {
    if (argLists.isEmpty()) return new int[0];
    SqlText text = SqlText.of(sql);
    try (PreparedStatement st = conn.prepareStatement(text.jdbc)) {
      st.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
      for (Object[] args : argLists) {
        bindAll(st, text, args, sql);
        st.addBatch();
      }
      return st.executeBatch();
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  /** The JDBC connection, for what this class does not cover (COPY, metadata). */
  public Connection connection() {
    return conn;
  }

  private PreparedStatement prepare(String sql, Object[] args) throws SQLException {
    SqlText text = SqlText.of(sql);
    PreparedStatement st = conn.prepareStatement(text.jdbc);
    try {
      st.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
      bindAll(st, text, args, sql);
      return st;
    } catch (SQLException | RuntimeException e) {
      st.close();
      throw e;
    }
  }

  private void bindAll(PreparedStatement st, SqlText text, Object[] args, String sql)
      throws SQLException {
    if (args.length != text.arity) {
      throw new IllegalArgumentException(
          "statement takes " + text.arity + " arguments, given " + args.length + ": " + sql);
    }
    for (int p = 0; p < text.argumentOrder.length; p++) {
      SqlValues.bind(conn, st, p + 1, args[text.argumentOrder[p]]);
    }
  }

  private static DbRows rows(ResultSet rs) throws SQLException {
    try (rs) {
      ResultSetMetaData meta = rs.getMetaData();
      int n = meta.getColumnCount();
      List<String> columns = new ArrayList<>(n);
      String[] types = new String[n];
      for (int i = 1; i <= n; i++) {
        columns.add(meta.getColumnLabel(i));
        types[i - 1] = meta.getColumnTypeName(i);
      }
      List<String> names = List.copyOf(columns);
      List<DbRow> out = new ArrayList<>();
      while (rs.next()) {
        Object[] values = new Object[n];
        for (int i = 1; i <= n; i++) values[i - 1] = SqlValues.read(rs, i, types[i - 1]);
        out.add(new DbRow(names, values));
      }
      return new DbRows(out);
    }
  }
}
