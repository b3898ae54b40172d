package io.tracklane.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InOrderAcksTest {

  @Test
  void acknowledgementsLeaveInArrivalOrder() {
    InOrderAcks acks = new InOrderAcks();
    List<Integer> sent = new ArrayList<>();
    InOrderAcks.Slot a = acks.reserve();
    InOrderAcks.Slot b = acks.reserve();
    InOrderAcks.Slot c = acks.reserve();
    c.complete(() -> sent.add(3));
    b.complete(() -> sent.add(2));
    assertEquals(List.of(), sent, "nothing before the first completes");
    a.complete(() -> sent.add(1));
    assertEquals(List.of(1, 2, 3), sent);
    assertEquals(0, acks.waiting());
  }

  @Test
  void discardedConnectionSendsNothing() {
    InOrderAcks acks = new InOrderAcks();
    List<Integer> sent = new ArrayList<>();
    InOrderAcks.Slot a = acks.reserve();
    acks.discard();
    a.complete(() -> sent.add(1));
    acks.reserve().complete(() -> sent.add(2));
    assertEquals(List.of(), sent);
  }

  @Test
  void anAckThatClosesTheConnectionStopsTheRest() {
    InOrderAcks acks = new InOrderAcks();
    List<Integer> sent = new ArrayList<>();
    InOrderAcks.Slot a = acks.reserve();
    InOrderAcks.Slot b = acks.reserve();
    b.complete(() -> sent.add(2));
    a.complete(
        () -> {
          sent.add(1);
          acks.discard();
        });
    assertEquals(List.of(1), sent);
  }

  @Test
  void aSlotCompletesOnce() {
    InOrderAcks acks = new InOrderAcks();
    InOrderAcks.Slot a = acks.reserve();
    a.complete(() -> {});
    assertThrows(IllegalStateException.class, () -> a.complete(() -> {}));
  }
}
