package io.tracklane.gateway.offers;

import io.vertx.core.Future;
import java.util.List;

/** Where the offers pool reads open tasks (the back office's Postgres). */
public interface OfferSource {
  /** The task's offer if it is open and its window has not passed, else null. */
  Future<Offer> openTask(String taskId);

  /** Every open task whose window has not passed. */
  Future<List<Offer>> openTasks();
}
