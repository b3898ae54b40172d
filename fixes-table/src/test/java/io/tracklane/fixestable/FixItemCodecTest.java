package io.tracklane.fixestable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracklane.core.fix.Fix;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class FixItemCodecTest {
  static final long TS = 1_764_200_000_123L;

  @Test
  void fullFixRoundTrips() {
    Fix fix = new Fix(TS, 31.2304, 121.4737, 5.0, 3.1, 270.0, -12.25, 0.81);
    Map<String, AttributeValue> item =
        FixItemCodec.toItem("task-1", "rider-1", fix, TS + 150, 86_400);
    assertEquals(fix, FixItemCodec.toFix(item));
    StoredFix stored = FixItemCodec.toStoredFix(item);
    assertEquals(new StoredFix("task-1", "rider-1", fix, TS + 150), stored);
    assertEquals("task-1", item.get(FixItemCodec.TASK_ID).s());
    assertEquals(Long.toString(TS), item.get(FixItemCodec.TS).n());
    assertEquals(
        "270", item.get(FixItemCodec.HDG).n(), "integral values are stored without a fraction");
    assertEquals(
        Long.toString(TS / 1000 + 86_400),
        item.get(FixItemCodec.EXPIRES_AT).n(),
        "the TTL counts from the fix's own time");
  }

  @Test
  void absentOptionalFieldsStayAbsent() {
    Fix fix = Fix.of(TS, -33.8688, 151.2093);
    Map<String, AttributeValue> item = FixItemCodec.toItem("t", "r", fix, TS, 60);
    for (String name : new String[] {"acc", "spd", "hdg", "alt", "bat"})
      assertFalse(item.containsKey(name), name);
    assertEquals(fix, FixItemCodec.toFix(item));
  }

  @Test
  void anItemWithoutReceivedAtReadsAsNull() {
    Map<String, AttributeValue> item =
        new java.util.HashMap<>(FixItemCodec.toItem("t", "r", Fix.of(TS, 1, 2), TS, 60));
    item.remove(FixItemCodec.RECEIVED_AT);
    assertNull(FixItemCodec.toStoredFix(item).receivedAt());
  }

  @Test
  void keyOfIdentifiesTaskAndTs() {
    Map<String, AttributeValue> a = FixItemCodec.toItem("t", "r", Fix.of(TS, 1, 2), TS, 60);
    Map<String, AttributeValue> b = FixItemCodec.toItem("t", "other", Fix.of(TS, 3, 4), TS + 9, 60);
    assertEquals(FixItemCodec.keyOf(a), FixItemCodec.keyOf(b));
    assertEquals(FixItemCodec.key("t", TS), Map.of("taskId", a.get("taskId"), "ts", a.get("ts")));
  }

  @Test
  void numbersNeverUseAnExponentAndTinyMagnitudesAreZero() {
    assertEquals("0", DynamoNumbers.encode(1e-200));
    assertEquals("0", DynamoNumbers.encode(-0.0));
    assertEquals("0", DynamoNumbers.encode(Double.MIN_VALUE));
    assertEquals("0.0000001", DynamoNumbers.encode(1e-7));
    assertEquals(
        "-0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "00000000000000000000000000000000000000001",
        DynamoNumbers.encode(-1e-130));
    assertEquals("12345678901234567000", DynamoNumbers.encode(1.2345678901234567e19));
    assertEquals("0.1", DynamoNumbers.encode(0.1));
    assertEquals("31.2304", DynamoNumbers.encode(31.2304));
    assertThrows(IllegalArgumentException.class, () -> DynamoNumbers.encode(Double.NaN));
    assertThrows(
        IllegalArgumentException.class, () -> DynamoNumbers.encode(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> DynamoNumbers.encode(1e126));
  }
}
