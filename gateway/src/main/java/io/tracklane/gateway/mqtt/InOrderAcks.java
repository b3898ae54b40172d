package io.tracklane.gateway.mqtt;

import java.util.ArrayDeque;

/**
 * Sends a connection's acknowledgements in the order its PUBLISH packets arrived (MQTT 3.1.1 §4.6
 * and 5.0 §4.6), although their writes may finish in any order.
 */
final class InOrderAcks {
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private boolean discarded;

  Slot reserve() {
    Slot s = new Slot();
    if (!discarded) slots.addLast(s);
    return s;
  }

  int waiting() {
    return slots.size();
  }

  /** The connection is gone: nothing more will be sent. */
  void discard() {
    discarded = true;
    slots.clear();
  }

  private void flush() {
    while (!slots.isEmpty() && slots.peekFirst().ack != null) {
      Runnable ack = slots.pollFirst().ack;
      ack.run();
      if (discarded) return; // the ack may have closed the connection
    }
  }

  final class Slot {
    private Runnable ack;

    /** Records what to send once every earlier slot has been sent. */
    void complete(Runnable sendAck) {
      if (ack != null) throw new IllegalStateException("slot completed twice");
      ack = sendAck;
      if (!discarded) flush();
    }
  }
}
