package io.tracklane.backoffice.tasks;

import io.tracklane.backoffice.common.ApiException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

  static ApiException noTask(String taskId) {
    return ApiException.notFound("no task " + taskId);
  }
}
