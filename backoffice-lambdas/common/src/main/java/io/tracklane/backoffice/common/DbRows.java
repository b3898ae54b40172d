package io.tracklane.backoffice.common;

import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** The rows a statement returned, in order. */
public final class DbRows implements Iterable<DbRow> {
  private final List<DbRow> rows;

  DbRows(List<DbRow> rows) {
    this.rows = List.copyOf(rows);
  }

  public int size() {
    return rows.size();
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The first row, or null when there is none. */
  public DbRow first() {
    return rows.isEmpty() ? null : rows.get(0);
  }

  public List<DbRow> list() {
    return rows;
  }

  public Stream<DbRow> stream() {
    return rows.stream();
  }

  @Override
  public Iterator<DbRow> iterator() {
    return rows.iterator();
  }
}
