package io.tracklane.backoffice.tasks;

import io.tracklane.backoffice.common.ApiException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/** Small helpers the tasks unit's SQL classes share. */
final class TaskSql {
  private TaskSql() {}

  /** Adds a bind parameter and returns its placeholder ($n). */
  static String param(List<Object> params, Object value) {
    params.add(value);
    return "$" + params.size();
  }

  static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }

  /** A list that may hold nulls. */
  static List<Object> values(Object... values) {
    return Arrays.asList(values);
  }

  static Row one(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? it.next() : null;
  }

  static ApiException noTask(String taskId) {
    return ApiException.notFound("no task " + taskId);
  }
}
