package io.tracklane.loadtest;

import java.util.HashSet;
import java.util.Set;
import java.util.StringJoiner;

/**
 * One rider's acknowledged fixes as a line of text, how a driver process hands them to the audit:
 * {@code taskId riderId lastTs lastLat lastLon ts,ts,...}.
 */
final class AckedFixesLine {
  private AckedFixesLine() {}

  static String format(MqttFleet.AckedFixes a) {
    StringJoiner ts = new StringJoiner(",");
    for (long t : a.ts()) ts.add(Long.toString(t));
    return a.taskId()
        + ' '
        + a.riderId()
        + ' '
        + a.lastTs()
        + ' '
        + a.lastLat()
        + ' '
        + a.lastLon()
        + ' '
        + (a.ts().isEmpty() ? "-" : ts.toString());
  }

  static MqttFleet.AckedFixes parse(String line) {
    String[] f = line.split(" ");
    if (f.length != 6) throw new IllegalArgumentException("not an acked-fixes line: " + line);
    Set<Long> ts = new HashSet<>();
    if (!f[5].equals("-")) for (String t : f[5].split(",")) ts.add(Long.parseLong(t));
    return new MqttFleet.AckedFixes(
        f[0],
        f[1],
        Set.copyOf(ts),
        Long.parseLong(f[2]),
        Double.parseDouble(f[3]),
        Double.parseDouble(f[4]));
  }
}
