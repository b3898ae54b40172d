package io.tracklane.fixestable;

import io.tracklane.core.fix.Fix;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The one item layout of the fixes table, written by the gateway and read by the gateway (live
 * state after a restart) and the back office (track, arrival check): key (taskId S, ts N), riderId,
 * lat, lon, the optional acc, spd, hdg, alt, bat, the server's receivedAt (epoch ms) and the TTL
 * attribute expiresAt (epoch s).
 */
public final class FixItemCodec {
  public static final String TASK_ID = "taskId";
  public static final String TS = "ts";
  public static final String RIDER_ID = "riderId";
  public static final String LAT = "lat";
  public static final String LON = "lon";
  public static final String ACC = "acc";
  public static final String SPD = "spd";
  public static final String HDG = "hdg";
  public static final String ALT = "alt";
  public static final String BAT = "bat";
  public static final String RECEIVED_AT = "receivedAt";
  public static final String EXPIRES_AT = "expiresAt";

  /** The global secondary index by rider: (riderId, ts). */
  public static final String RIDER_INDEX = "byRider";

  private FixItemCodec() {}

  /**
   * @param retentionSeconds how long after the fix's own time the item expires (TTL)
   * @throws IllegalArgumentException if a field is not finite or beyond DynamoDB's number range
   */
  public static Map<String, AttributeValue> toItem(
      String taskId, String riderId, Fix fix, long receivedAtMs, long retentionSeconds) {
    Map<String, AttributeValue> item = new HashMap<>(16);
    item.put(TASK_ID, AttributeValue.fromS(taskId));
    item.put(TS, num(fix.ts()));
    item.put(RIDER_ID, AttributeValue.fromS(riderId));
    item.put(LAT, num(fix.lat()));
    item.put(LON, num(fix.lon()));
    putOptional(item, ACC, fix.acc());
    putOptional(item, SPD, fix.spd());
    putOptional(item, HDG, fix.hdg());
    putOptional(item, ALT, fix.alt());
    putOptional(item, BAT, fix.bat());
    item.put(RECEIVED_AT, num(receivedAtMs));
    // TTL counts from the fix's own time, so a late upload does not live longer than its peers.
    item.put(EXPIRES_AT, num(Math.floorDiv(fix.ts(), 1000L) + retentionSeconds));
    return item;
  }

  /** The fix of an item; attributes other than the fix's own are ignored. */
  public static Fix toFix(Map<String, AttributeValue> item) {
    return new Fix(
        Long.parseLong(item.get(TS).n()),
        dbl(item, LAT),
        dbl(item, LON),
        opt(item, ACC),
        opt(item, SPD),
        opt(item, HDG),
        opt(item, ALT),
        opt(item, BAT));
  }

  /** A whole item: the fix with who sent it and when the gateway received it. */
  public static StoredFix toStoredFix(Map<String, AttributeValue> item) {
    AttributeValue rider = item.get(RIDER_ID);
    AttributeValue received = item.get(RECEIVED_AT);
    return new StoredFix(
        item.get(TASK_ID) == null ? null : item.get(TASK_ID).s(),
        rider == null ? null : rider.s(),
        toFix(item),
        received == null || received.n() == null ? null : Long.valueOf(received.n()));
  }

  /** The primary key of a fix. */
  public static Map<String, AttributeValue> key(String taskId, long ts) {
    return Map.of(TASK_ID, AttributeValue.fromS(taskId), TS, num(ts));
  }

  /** A compact identity for an item within one table: taskId + ts. */
  public static String keyOf(Map<String, AttributeValue> item) {
    return item.get(TASK_ID).s() + '\u0000' + item.get(TS).n();
  }

  /** Attribute names of the fix itself, for a Query's projection. */
  public static final String[] FIX_ATTRIBUTES = {TS, LAT, LON, ACC, SPD, HDG, ALT, BAT};

  private static void putOptional(Map<String, AttributeValue> item, String name, Double v) {
    if (v != null) item.put(name, num(v));
  }

  private static AttributeValue num(double v) {
    return AttributeValue.fromN(DynamoNumbers.encode(v));
  }

  private static AttributeValue num(long v) {
    return AttributeValue.fromN(DynamoNumbers.encode(v));
  }

  private static double dbl(Map<String, AttributeValue> item, String name) {
    return Double.parseDouble(item.get(name).n());
  }

  private static Double opt(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? null : Double.valueOf(v.n());
  }
}
