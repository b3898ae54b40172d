package io.tracklane.gateway.it;

import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Records how real Paho clients learn that the server ended their connection. */
public final class Disconnects {
  private Disconnects() {}

  /**
   * Completes with the server's DISCONNECT (reason code and string) when an MQTT 5 client is
   * disconnected.
   */
  public static CompletableFuture<MqttDisconnectResponse> of(MqttAsyncClient c) {
    CompletableFuture<MqttDisconnectResponse> gone = new CompletableFuture<>();
    c.setCallback(
        new MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse r) {
            gone.complete(r);
          }

          @Override
          public void mqttErrorOccurred(MqttException e) {}

          @Override
          public void messageArrived(String t, MqttMessage m) {}

          @Override
          public void deliveryComplete(IMqttToken t) {}

          @Override
          public void connectComplete(boolean reconnect, String uri) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties p) {}
        });
    return gone;
  }

  /** Completes when an MQTT 3.1.1 client loses its connection. */
  public static CompletableFuture<Throwable> of(org.eclipse.paho.client.mqttv3.MqttAsyncClient c) {
    CompletableFuture<Throwable> lost = new CompletableFuture<>();
    c.setCallback(
        new org.eclipse.paho.client.mqttv3.MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {
            lost.complete(cause);
          }

          @Override
          public void messageArrived(String t, org.eclipse.paho.client.mqttv3.MqttMessage m) {}

          @Override
          public void deliveryComplete(IMqttDeliveryToken t) {}
        });
    return lost;
  }
}
