package io.tracklane.gateway.store;

import io.tracklane.core.fix.Fix;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB item layout of a fix: key (taskId, ts), riderId, position, optional fields, TTL. */
public final class FixItems {
  public static final String TASK_ID = "taskId";
  public static final String TS = "ts";
  public static final String RIDER_ID = "riderId";
  public static final String RECEIVED_AT = "receivedAt";
  public static final String EXPIRES_AT = "expiresAt";
  public static final String RIDER_INDEX = "byRider";

  private FixItems() {}

  public static Map<String, AttributeValue> toItem(String taskId, String riderId, Fix fix, long receivedAtMs,
      long retentionSeconds) {
    Map<String, AttributeValue> item = new HashMap<>(16);
    item.put(TASK_ID, AttributeValue.fromS(taskId));
    item.put(TS, num(fix.ts()));
    item.put(RIDER_ID, AttributeValue.fromS(riderId));
    item.put("lat", num(fix.lat()));
    item.put("lon", num(fix.lon()));
    putOptional(item, "acc", fix.acc());
    putOptional(item, "spd", fix.spd());
    putOptional(item, "hdg", fix.hdg());
    putOptional(item, "alt", fix.alt());
    putOptional(item, "bat", fix.bat());
    item.put(RECEIVED_AT, num(receivedAtMs));
    // TTL counts from the fix's own time, so a late upload does not live longer than its peers.
    item.put(EXPIRES_AT, num(fix.ts() / 1000 + retentionSeconds));
    return item;
  }

  public static Fix toFix(Map<String, AttributeValue> item) {
    return new Fix(Long.parseLong(item.get(TS).n()), dbl(item, "lat"), dbl(item, "lon"), opt(item, "acc"),
        opt(item, "spd"), opt(item, "hdg"), opt(item, "alt"), opt(item, "bat"));
  }

  /** A compact identity for an item within one table: taskId + ts. */
  public static String keyOf(Map<String, AttributeValue> item) {
    return item.get(TASK_ID).s() + '\u0000' + item.get(TS).n();
  }

  private static void putOptional(Map<String, AttributeValue> item, String name, Double v) {
    if (v != null) item.put(name, num(v));
  }

  private static AttributeValue num(double v) {
    // Integral doubles without ".0" keep the stored text tidy; DynamoDB numbers are decimal either way.
    return AttributeValue.fromN(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v));
  }

  private static AttributeValue num(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  private static double dbl(Map<String, AttributeValue> item, String name) {
    return Double.parseDouble(item.get(name).n());
  }

  private static Double opt(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : Double.valueOf(v.n());
  }
}
