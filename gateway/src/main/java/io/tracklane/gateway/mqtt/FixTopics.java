package io.tracklane.gateway.mqtt;

import io.tracklane.gateway.ingest.TaskIds;

/**
 * The MQTT topic contract: fixes go to {@code tracklane/v1/tasks/{taskId}/fixes}; a rider's task
 * offers come on {@code tracklane/v1/offers}.
 */
public final class FixTopics {
  static final String PREFIX = "tracklane/v1/tasks/";
  static final String FIXES_SUFFIX = "/fixes";
  static final String ERRORS_SUFFIX = "/errors";

  /** Where refusals of a publish to no valid task topic are reported. */
  static final String GENERAL_ERRORS = "tracklane/v1/errors";

  /** Where a rider subscribes to task offers (their own: the gateway sends each rider theirs). */
  public static final String OFFERS = "tracklane/v1/offers";

  static final String ALL_TASK_ERRORS = PREFIX + "+" + ERRORS_SUFFIX;

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
    return filter.equals(GENERAL_ERRORS)
        || filter.equals(ALL_TASK_ERRORS)
        || segment(filter, ERRORS_SUFFIX) != null;
  }

  static boolean filterMatches(String filter, String topic) {
    return filter.equals(topic)
        || (filter.equals(ALL_TASK_ERRORS) && segment(topic, ERRORS_SUFFIX) != null);
  }

  private static String segment(String topic, String suffix) {
    if (topic == null || !topic.startsWith(PREFIX) || !topic.endsWith(suffix)) return null;
    if (topic.length() <= PREFIX.length() + suffix.length()) return null;
    String id = topic.substring(PREFIX.length(), topic.length() - suffix.length());
    return TaskIds.isValid(id) ? id : null;
  }
}
