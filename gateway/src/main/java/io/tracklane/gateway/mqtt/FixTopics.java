package io.tracklane.gateway.mqtt;

/** The MQTT topic contract: fixes go to {@code tracklane/v1/tasks/{taskId}/fixes}. */
public final class FixTopics {
  static final String PREFIX = "tracklane/v1/tasks/";
  static final String FIXES_SUFFIX = "/fixes";
  static final String ERRORS_SUFFIX = "/errors";
  /** Where refusals of a publish to no valid task topic are reported. */
  static final String GENERAL_ERRORS = "tracklane/v1/errors";
  static final String ALL_TASK_ERRORS = PREFIX + "+" + ERRORS_SUFFIX;
  static final int MAX_TASK_ID_LENGTH = 128;

  private FixTopics() {}

  public static String fixesTopic(String taskId) {
    return PREFIX + taskId + FIXES_SUFFIX;
  }

  /** The task id of a fixes topic, or null if the topic is not one. */
  public static String taskIdOf(String topic) {
    return segment(topic, FIXES_SUFFIX);
  }

  static String errorsTopic(String taskId) {
    return taskId == null ? GENERAL_ERRORS : PREFIX + taskId + ERRORS_SUFFIX;
  }

  /** Subscriptions a device may hold: its own error reports. */
  static boolean isErrorsFilter(String filter) {
    return filter.equals(GENERAL_ERRORS) || filter.equals(ALL_TASK_ERRORS) || segment(filter, ERRORS_SUFFIX) != null;
  }

  static boolean filterMatches(String filter, String topic) {
    return filter.equals(topic) || (filter.equals(ALL_TASK_ERRORS) && segment(topic, ERRORS_SUFFIX) != null);
  }

  /** A valid task id: 1..128 characters, none of them a topic separator, wildcard or control. */
  public static boolean isValidTaskId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_TASK_ID_LENGTH) return false;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '/' || c == '+' || c == '#' || c < 0x20 || c == 0x7f) return false;
    }
    return true;
  }

  private static String segment(String topic, String suffix) {
    if (topic == null || !topic.startsWith(PREFIX) || !topic.endsWith(suffix)) return null;
    if (topic.length() <= PREFIX.length() + suffix.length()) return null;
    String id = topic.substring(PREFIX.length(), topic.length() - suffix.length());
    return isValidTaskId(id) ? id : null;
  }
}
