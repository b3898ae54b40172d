package io.tracklane.gateway.it;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/** Real MQTT clients connected as a rider. */
public final class MqttClients {
  private MqttClients() {}

  public static MqttAsyncClient paho5(String uri, String clientId, String rider, String token)
      throws Exception {
    MqttAsyncClient c = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setUserName(rider);
    o.setPassword(token.getBytes(StandardCharsets.UTF_8));
    o.setCleanStart(true);
    o.setAutomaticReconnect(false);
    o.setConnectionTimeout(10);
    o.setReceiveMaximum(1000);
    c.connect(o).waitForCompletion(10_000);
    return c;
  }

  public static org.eclipse.paho.client.mqttv3.MqttAsyncClient paho3(
      String uri, String clientId, String rider, String token) throws Exception {
    var c =
        new org.eclipse.paho.client.mqttv3.MqttAsyncClient(
            uri, clientId, new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
    var o = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
    o.setUserName(rider);
    o.setPassword(token.toCharArray());
    o.setCleanSession(true);
    o.setMqttVersion(org.eclipse.paho.client.mqttv3.MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setMaxInflight(1000);
    o.setConnectionTimeout(10);
    c.connect(o).waitForCompletion(10_000);
    return c;
  }

  public static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // already gone: that is what some tests provoke
    }
  }
}
