package io.tracklane.gateway.mqtt;

import io.vertx.core.net.NetSocket;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops and restarts reading an MQTT connection's socket. vertx-mqtt's endpoint has no pause(), so
 * this reaches the endpoint's NetSocket (a private field of {@code MqttEndpointImpl}); pausing it
 * turns the channel's auto-read off, and TCP flow control then stops the client. When a later
 * vertx-mqtt renames the field, {@link #of} answers null and the caller falls back to closing.
 */
final class SocketReads {
  private static final Logger log = LoggerFactory.getLogger(SocketReads.class);
  private static final Field SOCKET = socketField();

  private final NetSocket socket;

  private SocketReads(NetSocket socket) {
    this.socket = socket;
  }

  /** The endpoint's socket reads, or null when they cannot be reached. */
  static SocketReads of(MqttEndpoint ep) {
    NetSocket s = socketOf(ep);
    return s == null ? null : new SocketReads(s);
  }

  /** The endpoint's socket (for its write queue), or null when it cannot be reached. */
  static NetSocket socketOf(MqttEndpoint ep) {
    if (SOCKET == null || !SOCKET.getDeclaringClass().isInstance(ep)) return null;
    try {
      return SOCKET.get(ep) instanceof NetSocket s ? s : null;
    } catch (IllegalAccessException e) {
      return null;
    }
  }

  void pause() {
    socket.pause();
  }

  void resume() {
    socket.resume();
  }

  private static Field socketField() {
    try {
      Field f = Class.forName("io.vertx.mqtt.impl.MqttEndpointImpl").getDeclaredField("conn");
      if (!NetSocket.class.isAssignableFrom(f.getType()))
        throw new NoSuchFieldException("conn is a " + f.getType());
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn(
          "cannot pause MQTT sockets ({}): an MQTT 3.1.1 client over TRACKLANE_MQTT_MAX_UNACKED is disconnected instead",
          e.toString());
      return null;
    }
  }
}
