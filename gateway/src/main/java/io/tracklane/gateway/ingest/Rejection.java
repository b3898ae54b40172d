package io.tracklane.gateway.ingest;

import io.tracklane.core.fix.FixError;
import java.util.List;

/** Why a payload was not stored. Each transport maps the reason to its own status code. */
public final class Rejection extends RuntimeException {

  public enum Reason {
    /** Malformed JSON or invalid fields: resending the same bytes will not help. */
    BAD_PAYLOAD("bad_payload"),
    /** Topic or path does not name a task's fixes. */
    BAD_TOPIC("bad_topic"),
    /** Token is not a rider's, or the task is not claimed by this rider / not in progress. */
    NOT_AUTHORIZED("not_authorized"),
    UNKNOWN_TASK("unknown_task"),
    /** Queue above its limit: try again later. */
    OVERLOADED("overloaded"),
    /** Gateway is shutting down: try again later (another instance will take it). */
    SHUTTING_DOWN("shutting_down"),
    /** The store refused the write for a reason retrying cannot cure. */
    STORE_FAILED("store_failed");

    public final String metricName;

    Reason(String metricName) {
      this.metricName = metricName;
    }
  }

  private final Reason reason;
  private final List<FixError> errors;

  public Rejection(Reason reason, String message) {
    this(reason, message, List.of());
  }

  public Rejection(Reason reason, String message, List<FixError> errors) {
    super(message, null, false, false);
    this.reason = reason;
    this.errors = List.copyOf(errors);
  }

  public Reason reason() {
    return reason;
  }

  public List<FixError> errors() {
    return errors;
  }
}
