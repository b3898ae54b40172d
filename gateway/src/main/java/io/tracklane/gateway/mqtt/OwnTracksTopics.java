package io.tracklane.gateway.mqtt;

/**
 * The topics of an OwnTracks device session (one that connected with a device key). It publishes
 * its locations to {@code owntracks/{user}/{device}} and other messages to one level below it
 * ({@code .../event}, {@code .../info}, {@code .../waypoints}, {@code .../status}, ...; accepted
 * and ignored); it may subscribe to {@code owntracks/{user}/{device}/cmd} only, without wildcards.
 * The {@code user} and {@code device} segments are labels chosen in the app: whose fix it is comes
 * from the key, and the cmd topic carries only commands for the key's own rider, so any values are
 * accepted.
 */
public final class OwnTracksTopics {
  static final String ROOT = "owntracks";
  static final String CMD = "cmd";

  private OwnTracksTopics() {}

  /** {@code owntracks/u/d} or one level below it. */
  static boolean isPublishTopic(String topic) {
    String[] parts = split(topic);
    return parts != null && (parts.length == 3 || parts.length == 4);
  }

  /** {@code owntracks/u/d}: where locations come. */
  static boolean isBaseTopic(String topic) {
    String[] parts = split(topic);
    return parts != null && parts.length == 3;
  }

  /** {@code owntracks/u/d/cmd} without wildcards. */
  static boolean isCmdTopic(String filter) {
    String[] parts = split(filter);
    return parts != null && parts.length == 4 && CMD.equals(parts[3]);
  }

  /** The segments, or null if not under {@code owntracks/}, empty or with wildcards. */
  private static String[] split(String topic) {
    if (topic == null || topic.length() > 512) return null;
    String[] parts = topic.split("/", -1);
    if (!ROOT.equals(parts[0])) return null;
    for (String p : parts) {
      if (p.isEmpty() || p.contains("+") || p.contains("#")) return null;
    }
    return parts;
  }
}
