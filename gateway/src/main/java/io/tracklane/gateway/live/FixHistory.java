package io.tracklane.gateway.live;

import io.tracklane.core.fix.Fix;
import io.vertx.core.Future;
import java.util.List;

/** Stored fixes of a task, to rebuild its progress after a restart. */
public interface FixHistory {

  FixHistory NONE = (taskId, beforeTs, limit) -> Future.succeededFuture(List.of());

  /**
   * The latest {@code limit} stored fixes of {@code taskId} with {@code ts < beforeTs}, in ts
   * order, on the caller's context.
   */
  Future<List<Fix>> latestBefore(String taskId, long beforeTs, int limit);
}
