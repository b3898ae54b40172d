package io.tracklane.gateway.ingest;

/**
 * The task-id rule of every ingest path (MQTT topic segment and HTTP path parameter alike): an id
 * that could not name a single MQTT topic level is refused before anything else is looked at.
 */
public final class TaskIds {
  public static final int MAX_LENGTH = 128;

  /** How a refusal describes the rule. */
  public static final String RULE =
      "task id must be 1.."
          + MAX_LENGTH
          + " characters without '/', '+', '#' or control characters";

  private TaskIds() {}

  /** A valid task id: 1..128 characters, none of them a topic separator, wildcard or control. */
  public static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) return false;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '/' || c == '+' || c == '#' || c < 0x20 || c == 0x7f) return false;
    }
    return true;
  }
}
