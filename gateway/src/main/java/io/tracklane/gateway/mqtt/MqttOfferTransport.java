package io.tracklane.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.tracklane.gateway.offers.OfferStream;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.mqtt.MqttEndpoint;

/**
 * Offers to one MQTT subscriber on {@link FixTopics#OFFERS}, one PUBLISH (at the granted QoS) per
 * event. The connection counts as backed up while its socket's write queue is full or, at QoS 1,
 * while {@code maxInFlight} offers await their PUBACK (never more than the client's Receive
 * Maximum). Then events wait in the {@link OfferStream}'s bounded queue.
 */
final class MqttOfferTransport implements OfferStream.Transport {
  private final MqttEndpoint ep;
  private final MqttQoS qos;
  private final NetSocket socket;
  private final int maxInFlight;
  private final Runnable tooSlow;
  private int inFlight;
  private Runnable waiting;

  /**
   * @param inFlight offers of an earlier subscription on this connection still awaiting PUBACK
   * @param tooSlow ends the connection (the rider did not keep up)
   */
  MqttOfferTransport(
      MqttEndpoint ep, MqttQoS qos, int maxInFlight, int inFlight, Runnable tooSlow) {
    this.ep = ep;
    this.inFlight = inFlight;
    this.qos = qos;
    this.socket = SocketReads.socketOf(ep);
    this.maxInFlight = maxInFlight;
    this.tooSlow = tooSlow;
  }

  @Override
  public boolean writeQueueFull() {
    return (socket != null && socket.writeQueueFull())
        || (qos == MqttQoS.AT_LEAST_ONCE && inFlight >= maxInFlight);
  }

  @Override
  public void onDrain(Runnable drained) {
    waiting = drained;
    if (socket != null && socket.writeQueueFull()) {
      socket.drainHandler(
          v -> {
            socket.drainHandler(null);
            wake();
          });
    }
  }

  /** Offers awaiting their PUBACK. */
  int inFlight() {
    return inFlight;
  }

  /** A PUBACK for one of our offers. */
  void acknowledged() {
    if (inFlight > 0) inFlight--;
    wake();
  }

  @Override
  public void write(JsonObject event) {
    if (qos == MqttQoS.AT_LEAST_ONCE) inFlight++;
    ep.publish(FixTopics.OFFERS, Buffer.buffer(event.encode()), qos, false, false);
  }

  @Override
  public void close(String reason, boolean slow) {
    if (slow) tooSlow.run();
  }

  private void wake() {
    if (waiting == null || writeQueueFull()) return;
    Runnable w = waiting;
    waiting = null;
    w.run();
  }
}
