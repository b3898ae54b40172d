package io.tracklane.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.tracklane.gateway.access.Device;
import io.tracklane.gateway.auth.UserDeactivated;
import io.tracklane.gateway.device.DeviceAuth;
import io.tracklane.gateway.device.DeviceFixIngest;
import io.tracklane.gateway.device.DeviceKeyRejected;
import io.tracklane.gateway.device.OwnTracksCadence;
import io.tracklane.gateway.device.OwnTracksCadence.Mode;
import io.tracklane.gateway.device.OwnTracksMessageDecoder;
import io.tracklane.gateway.ingest.Rejection;
import io.tracklane.gateway.metrics.GatewayMetrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT sessions of OwnTracks apps: the CONNECT password is a device key (user name anything). The
 * device publishes OwnTracks JSON to {@code owntracks/{user}/{device}} ({@link OwnTracksTopics}); a
 * {@code _type: location} becomes a fix on the rider's task in progress, and its QoS 1 PUBACK (QoS
 * 2 PUBREC) goes out only after the durable write, in arrival order ({@link InOrderAcks}). Other
 * {@code _type}s and sub-topics are acknowledged and ignored; with no task in progress the fix is
 * acknowledged and not stored ({@link DeviceFixIngest}).
 *
 * <p>Refusals as for token sessions: MQTT 5 gets a negative PUBACK with a reason string; MQTT 3.1.1
 * is acknowledged for a payload that can never be stored and disconnected (no ack) for one a retry
 * can cure. Unknown or revoked key: CONNACK 0x86 / 0x04; rider deactivated: 0x87 / 0x05. A
 * revocation or deactivation notification ends the device's sessions at once (MQTT 5: DISCONNECT
 * 0x87), and every publish re-checks the (cached) key, so the TTL bounds staleness even when a
 * notification is lost. More than {@code maxUnacked} unacknowledged messages disconnect (MQTT 5 is
 * told it as Receive Maximum).
 *
 * <p>Cadence: a session that subscribed to {@code owntracks/{user}/{device}/cmd} is told its mode
 * at once and again whenever the rider's task starts or ends ({@link #taskChanged}); see {@link
 * OwnTracksCadence}. All on the gateway's event loop.
 */
public final class OwnTracksSessions {
  private static final Logger log = LoggerFactory.getLogger(OwnTracksSessions.class);
  static final String PROTOCOL = "owntracks-mqtt";
  private static final int PACKET_OVERHEAD = 1024;

  private final DeviceAuth auth;
  private final DeviceFixIngest ingest;
  private final GatewayMetrics metrics;
  private final int maxPayloadBytes;
  private final int queueHardLimit;
  private final int maxUnacked;
  private final Map<String, Session> byClientId = new HashMap<>();
  private final Map<String, Set<Session>> byUser = new HashMap<>();

  public OwnTracksSessions(
      DeviceAuth auth,
      DeviceFixIngest ingest,
      GatewayMetrics metrics,
      int maxPayloadBytes,
      int queueHardLimit,
      int maxUnacked) {
    this.auth = auth;
    this.ingest = ingest;
    this.metrics = metrics;
    this.maxPayloadBytes = maxPayloadBytes;
    this.queueHardLimit = queueHardLimit;
    this.maxUnacked = maxUnacked;
  }

  void connect(MqttEndpoint ep, boolean v5, String key) {
    auth.authenticate(key)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                Throwable cause = ar.cause();
                if (cause instanceof DeviceKeyRejected) {
                  metrics.mqttRefused("bad_device_key");
                  metrics.deviceKeyRefused(PROTOCOL);
                  MqttIngestServer.refuse(
                      ep,
                      v5,
                      MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD,
                      MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD,
                      cause.getMessage());
                } else if (cause instanceof UserDeactivated) {
                  metrics.mqttRefused("user_deactivated");
                  MqttIngestServer.refuse(
                      ep,
                      v5,
                      MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
                      MqttIngestServer.DEACTIVATED);
                } else {
                  metrics.mqttRefused("user_check_failed");
                  MqttIngestServer.refuse(
                      ep,
                      v5,
                      MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5,
                      MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                      "cannot check the device key now; retry later");
                }
                return;
              }
              Device device = ar.result();
              Session owner = byClientId.get(ep.clientIdentifier());
              if (owner != null && !owner.device.userId().equals(device.userId())) {
                metrics.mqttRefused("client_id_taken");
                MqttIngestServer.refuse(
                    ep,
                    v5,
                    MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID,
                    MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    "client id '" + ep.clientIdentifier() + "' is in use by another user");
                return;
              }
              new Session(ep, v5, key, device).open();
            });
  }

  /** The rider's task changed: sessions listening on their cmd topic are told their new mode. */
  public void taskChanged(String riderId) {
    if (riderId == null) {
      // a release may not name the rider: tell everyone who listens (idempotent, level-triggered)
      for (Set<Session> all : new ArrayList<>(byUser.values()))
        for (Session s : new ArrayList<>(all)) s.tellCadence();
      return;
    }
    Set<Session> theirs = byUser.get(riderId);
    if (theirs == null) return;
    for (Session s : new ArrayList<>(theirs)) s.tellCadence();
  }

  public void disconnectUser(String userId) {
    Set<Session> theirs = byUser.get(userId);
    if (theirs == null) return;
    for (Session s : new ArrayList<>(theirs)) {
      metrics.mqttSessionEnded("user_deactivated");
      s.disconnect(MqttDisconnectReasonCode.NOT_AUTHORIZED, MqttIngestServer.DEACTIVATED);
    }
  }

  /** The device's key was revoked (or deleted): its sessions end at once. */
  public void disconnectDevice(String deviceId) {
    for (Session s : new ArrayList<>(byClientId.values())) {
      if (s.device.deviceId().equals(deviceId)) {
        metrics.mqttSessionEnded("device_revoked");
        s.disconnect(MqttDisconnectReasonCode.NOT_AUTHORIZED, "device key revoked");
      }
    }
  }

  /** Checks every session's key and rider again (notifications may have been missed). */
  void recheck() {
    for (Session s : new ArrayList<>(byClientId.values())) s.recheck();
  }

  void closeAll() {
    for (Session s : new ArrayList<>(byClientId.values()))
      s.disconnect(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN, null);
  }

  public int sessions() {
    return byClientId.size();
  }

  private final class Session {
    final MqttEndpoint ep;
    final boolean v5;
    final String key;
    final Device device;
    final InOrderAcks acks = new InOrderAcks();

    /** cmd topics subscribed, with the QoS granted. */
    final Map<String, MqttQoS> cmdTopics = new LinkedHashMap<>();

    Mode told;
    boolean closed;

    Session(MqttEndpoint ep, boolean v5, String key, Device device) {
      this.ep = ep;
      this.v5 = v5;
      this.key = key;
      this.device = device;
    }

    void open() {
      Session previous = byClientId.put(ep.clientIdentifier(), this);
      if (previous != null) previous.disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, null);
      byUser.computeIfAbsent(device.userId(), u -> new HashSet<>()).add(this);
      metrics.connectionOpened();
      ep.publishAutoAck(false);
      ep.publishHandler(this::onPublish);
      ep.publishReleaseHandler(ep::publishComplete);
      ep.subscribeHandler(this::onSubscribe);
      ep.unsubscribeHandler(
          m -> {
            m.topics().forEach(cmdTopics::remove);
            ep.unsubscribeAcknowledge(m.messageId());
          });
      ep.closeHandler(v -> onClosed());
      ep.exceptionHandler(err -> log.debug("OwnTracks client: {}", err.toString()));
      if (v5) {
        MqttProperties props = new MqttProperties();
        props.add(
            new MqttProperties.IntegerProperty(
                MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), maxPayloadBytes + PACKET_OVERHEAD));
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
        props.add(
            new MqttProperties.IntegerProperty(
                MqttPropertyType.RECEIVE_MAXIMUM.value(), maxUnacked));
        ep.accept(false, props);
      } else {
        ep.accept(false);
      }
    }

    void onClosed() {
      if (closed) return;
      closed = true;
      acks.discard();
      byClientId.remove(ep.clientIdentifier(), this);
      Set<Session> theirs = byUser.get(device.userId());
      if (theirs != null && theirs.remove(this) && theirs.isEmpty()) byUser.remove(device.userId());
      metrics.connectionClosed();
    }

    void disconnect(MqttDisconnectReasonCode code, String reason) {
      if (closed) return;
      onClosed();
      try {
        if (v5 && ep.isConnected()) {
          ep.disconnect(
              code,
              reason == null
                  ? MqttProperties.NO_PROPERTIES
                  : MqttIngestServer.reasonString(reason));
        } else {
          ep.close();
        }
      } catch (IllegalStateException | IllegalArgumentException alreadyClosed) {
        log.debug("OwnTracks client already gone");
      }
    }

    void recheck() {
      auth.authenticate(key).onFailure(this::authFailed);
    }

    void authFailed(Throwable cause) {
      if (cause instanceof DeviceKeyRejected) {
        metrics.mqttSessionEnded("device_revoked");
        disconnect(MqttDisconnectReasonCode.NOT_AUTHORIZED, "device key revoked");
      } else if (cause instanceof UserDeactivated) {
        metrics.mqttSessionEnded("user_deactivated");
        disconnect(MqttDisconnectReasonCode.NOT_AUTHORIZED, MqttIngestServer.DEACTIVATED);
      }
    }

    void onPublish(MqttPublishMessage msg) {
      if (closed) return;
      boolean needsAck = msg.qosLevel() != MqttQoS.AT_MOST_ONCE;
      if (needsAck && acks.waiting() >= maxUnacked) {
        disconnect(MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED, null);
        return;
      }
      InOrderAcks.Slot slot = needsAck ? acks.reserve() : null;
      handle(msg)
          .onComplete(
              ar -> {
                if (ar.failed()
                    && (ar.cause() instanceof DeviceKeyRejected
                        || ar.cause() instanceof UserDeactivated)) {
                  authFailed(ar.cause()); // never acknowledged: the device must be set up again
                  return;
                }
                if (slot != null) slot.complete(() -> acknowledge(msg, ar));
              });
    }

    Future<?> handle(MqttPublishMessage msg) {
      String topic = msg.topicName();
      if (!OwnTracksTopics.isPublishTopic(topic)) {
        metrics.rejected(Rejection.Reason.BAD_TOPIC.metricName, 1);
        return Future.failedFuture(
            new Rejection(
                Rejection.Reason.BAD_TOPIC,
                "an OwnTracks device publishes to owntracks/{user}/{device}, not '" + topic + "'"));
      }
      if (msg.payload().length() > maxPayloadBytes) {
        metrics.rejected(Rejection.Reason.BAD_PAYLOAD.metricName, 1);
        return Future.failedFuture(
            new Rejection(
                Rejection.Reason.BAD_PAYLOAD,
                "payload is " + msg.payload().length() + " bytes; at most " + maxPayloadBytes));
      }
      // event, info, waypoints, status, ... below the base topic: not locations
      if (!OwnTracksTopics.isBaseTopic(topic)) return Future.succeededFuture();
      OwnTracksMessageDecoder.Message m = OwnTracksMessageDecoder.decode(msg.payload());
      if (m.failed()) {
        metrics.rejected(Rejection.Reason.BAD_PAYLOAD.metricName, 1);
        var errors = m.fix().decodingErrors();
        return Future.failedFuture(
            new Rejection(Rejection.Reason.BAD_PAYLOAD, errors.get(0).toString(), errors));
      }
      if (!m.isLocation()) return Future.succeededFuture();
      return auth.authenticate(key)
          .compose(d -> ingest.ingest(PROTOCOL, d, m.fix(), queueHardLimit));
    }

    void acknowledge(MqttPublishMessage msg, AsyncResult<?> result) {
      if (closed) return;
      int id = msg.messageId();
      boolean qos2 = msg.qosLevel() == MqttQoS.EXACTLY_ONCE;
      if (result.succeeded()) {
        if (qos2) ep.publishReceived(id);
        else ep.publishAcknowledge(id);
        return;
      }
      Rejection r =
          result.cause() instanceof Rejection rej
              ? rej
              : new Rejection(
                  Rejection.Reason.STORE_FAILED, String.valueOf(result.cause().getMessage()));
      if (v5) {
        MqttProperties props = MqttIngestServer.reasonString(r.getMessage());
        if (qos2) ep.publishReceived(id, MqttIngestServer.pubRecCode(r.reason()), props);
        else ep.publishAcknowledge(id, MqttIngestServer.pubAckCode(r.reason()), props);
      } else if (MqttIngestServer.retryCures(r.reason())) {
        disconnect(MqttDisconnectReasonCode.UNSPECIFIED_ERROR, null);
      } else if (qos2) {
        ep.publishReceived(id);
      } else {
        ep.publishAcknowledge(id);
      }
    }

    void onSubscribe(MqttSubscribeMessage m) {
      List<MqttQoS> granted = new ArrayList<>();
      boolean anyCmd = false;
      for (MqttTopicSubscription s : m.topicSubscriptions()) {
        if (OwnTracksTopics.isCmdTopic(s.topicName())) {
          MqttQoS q =
              s.qualityOfService() == MqttQoS.AT_MOST_ONCE
                  ? MqttQoS.AT_MOST_ONCE
                  : MqttQoS.AT_LEAST_ONCE;
          cmdTopics.put(s.topicName(), q);
          granted.add(q);
          anyCmd = true;
        } else {
          granted.add(MqttQoS.FAILURE);
        }
      }
      if (v5) {
        List<MqttSubAckReasonCode> codes = new ArrayList<>(granted.size());
        for (MqttQoS q : granted) {
          codes.add(
              q == MqttQoS.FAILURE
                  ? MqttSubAckReasonCode.NOT_AUTHORIZED
                  : MqttSubAckReasonCode.qosGranted(q));
        }
        ep.subscribeAcknowledge(m.messageId(), codes, MqttProperties.NO_PROPERTIES);
      } else {
        ep.subscribeAcknowledge(m.messageId(), granted);
      }
      if (anyCmd) {
        told = null; // a new subscription is told the current mode
        tellCadence();
      }
    }

    /** Tells the session its mode if it differs from what it was last told. */
    void tellCadence() {
      if (closed || cmdTopics.isEmpty()) return;
      ingest
          .tasks()
          .taskInProgress(device.userId())
          .onComplete(
              ar -> {
                if (closed || ar.failed()) return; // told on the next change or subscription
                Mode now = Mode.forTask(ar.result());
                List<JsonObject> cmds = OwnTracksCadence.commands(told, now);
                told = now;
                for (JsonObject cmd : cmds) {
                  Buffer body = cmd.toBuffer();
                  cmdTopics.forEach(
                      (topic, qos) -> {
                        try {
                          ep.publish(topic, body, qos, false, false);
                        } catch (IllegalStateException gone) {
                          log.debug("OwnTracks client gone before its cmd");
                        }
                      });
                }
              });
    }
  }
}
