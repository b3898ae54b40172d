package io.tracklane.backoffice.tasks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.tracklane.backoffice.common.BackofficeContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code task-expiry} function, run by an EventBridge schedule: the same sweep as {@code POST
 * /tasks/expire} ({@link TaskService#expireDue()}). Open or claimed tasks whose window has passed
 * become expired. Safe to run concurrently or repeatedly.
 */
public class TaskExpiryHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
  private static final Logger log = LoggerFactory.getLogger(TaskExpiryHandler.class);
  private final TaskService tasks;

  /** Lambda entry point: the init phase builds the shared context from the environment. */
  public TaskExpiryHandler() {
    this(BackofficeContext.fromEnv());
  }

  public TaskExpiryHandler(BackofficeContext ctx) {
    this.tasks = new TaskService(ctx);
  }

  /** {@code {"expired": n}} (plus the schedule event's id, for the logs). */
  @Override
  public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
    int expired = tasks.expireDue();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("expired", expired);
    if (event != null && event.getId() != null) result.put("eventId", event.getId());
    log.info("task-expiry run {}: {} expired", event == null ? "-" : event.getId(), expired);
    return result;
  }
}
