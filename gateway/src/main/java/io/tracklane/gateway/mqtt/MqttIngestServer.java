package io.tracklane.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.tracklane.core.fix.FixJson;
import io.tracklane.core.auth.Principal;
import io.tracklane.core.auth.TokenVerifier;
import io.tracklane.gateway.ingest.FixIngest;
import io.tracklane.gateway.ingest.Rejection;
import io.tracklane.gateway.metrics.GatewayMetrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT 3.1.1 and 5.0 ingest. The password is the rider's access token. A QoS 1 PUBACK (QoS 2
 * PUBREC) is sent only after every fix of the message is durably written, in arrival order.
 *
 * <p>Refusals: MQTT 5 gets a negative PUBACK/PUBREC with a reason code and reason string. MQTT
 * 3.1.1 has no negative acknowledgement, so a payload that can never be stored (bad JSON or
 * fields, wrong topic, task not the rider's) is acknowledged — resending it would loop forever —
 * and the refusal is published to the client on {@code tracklane/v1/tasks/{taskId}/errors} if
 * it subscribed; a refusal that a retry can cure (overload, shutdown, store failure) closes the
 * connection without the acknowledgement, so the client resends after reconnecting.
 *
 * <p>Unacknowledged QoS 1/2 messages per connection are capped ({@code maxUnacked}). MQTT 5 is told
 * the cap as Receive Maximum in CONNACK and a client exceeding it is disconnected with 0x93
 * (Receive Maximum exceeded, as the specification requires). MQTT 3.1.1 has no such property, so
 * at the cap the connection's socket stops being read ({@link SocketReads}): TCP flow control
 * makes the client wait, nothing is lost or refused, and reading resumes as acknowledgements go
 * out. Messages already decoded from the last read wait in order for their turn. (Should the socket
 * be unreachable, the 3.1.1 client is disconnected without acknowledgements instead and resends.)
 * A connection paused longer than 1.5 keep-alive intervals is closed by the keep-alive check.
 *
 * <p>All connections run on the gateway's one event loop; no state here is shared across threads.
 */
public final class MqttIngestServer {
  private static final Logger log = LoggerFactory.getLogger(MqttIngestServer.class);
  /** Topic name and MQTT 5 properties on top of the payload limit. */
  private static final int PACKET_OVERHEAD = 1024;

  private final Vertx vertx;
  private final TokenVerifier verifier;
  private final FixIngest ingest;
  private final GatewayMetrics metrics;
  private final int maxPayloadBytes;
  private final int queueHardLimit;
  private final int maxUnacked;
  private final Map<String, Connection> byClientId = new HashMap<>();
  private MqttServer server;

  public MqttIngestServer(Vertx vertx, TokenVerifier verifier, FixIngest ingest, GatewayMetrics metrics,
      int maxPayloadBytes, int queueHardLimit) {
    this(vertx, verifier, ingest, metrics, maxPayloadBytes, queueHardLimit, 65_535);
  }

  /** @param maxUnacked most QoS 1/2 messages per connection awaiting their acknowledgement */
  public MqttIngestServer(Vertx vertx, TokenVerifier verifier, FixIngest ingest, GatewayMetrics metrics,
      int maxPayloadBytes, int queueHardLimit, int maxUnacked) {
    this.maxUnacked = maxUnacked;
    this.vertx = vertx;
    this.verifier = verifier;
    this.ingest = ingest;
    this.metrics = metrics;
    this.maxPayloadBytes = maxPayloadBytes;
    this.queueHardLimit = queueHardLimit;
  }

  public Future<Integer> listen(String host, int port) {
    MqttServerOptions options = new MqttServerOptions().setHost(host).setPort(port)
        .setMaxMessageSize(maxPayloadBytes + PACKET_OVERHEAD).setTimeoutOnConnect(10).setAutoClientId(true);
    server = MqttServer.create(vertx, options)
        .endpointHandler(this::onConnect)
        .exceptionHandler(err -> log.debug("MQTT connection error: {}", err.toString()));
    return server.listen().map(MqttServer::actualPort);
  }

  public int connections() {
    return byClientId.size();
  }

  /** Tells MQTT 5 clients the server is going away, then closes every connection and the listener. */
  public Future<Void> close() {
    for (Connection c : new ArrayList<>(byClientId.values())) {
      c.disconnect(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN);
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void onConnect(MqttEndpoint ep) {
    boolean v5 = ep.protocolVersion() == 5;
    if (!ingest.isAccepting()) {
      ep.reject(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
          : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
      return;
    }
    String token = ep.auth() == null ? null : ep.auth().getPassword();
    verifier.verify(token).onComplete(ar -> {
      if (ar.failed()) {
        metrics.mqttRefused("bad_token");
        refuse(ep, v5, MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD, ar.cause().getMessage());
        return;
      }
      Principal who = ar.result();
      if (!who.isRider()) {
        metrics.mqttRefused("not_rider");
        refuse(ep, v5, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
            "only riders publish fixes; this token's role is '" + who.role() + "'");
        return;
      }
      new Connection(ep, who, v5).open();
    });
  }

  private static void refuse(MqttEndpoint ep, boolean v5, MqttConnectReturnCode v5Code, String reason) {
    if (v5) {
      ep.reject(v5Code, reasonString(reason));
    } else {
      ep.reject(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
    }
  }

  private static MqttProperties reasonString(String reason) {
    MqttProperties props = new MqttProperties();
    String r = reason.length() > 500 ? reason.substring(0, 500) : reason;
    props.add(new MqttProperties.StringProperty(MqttPropertyType.REASON_STRING.value(), r));
    return props;
  }

  /** One accepted client connection. */
  private final class Connection {
    final MqttEndpoint ep;
    final Principal who;
    final boolean v5;
    final InOrderAcks acks = new InOrderAcks();
    final Set<String> errorFilters = new HashSet<>();
    boolean closed;

    Connection(MqttEndpoint ep, Principal who, boolean v5) {
      this.ep = ep;
      this.who = who;
      this.v5 = v5;
    }

    void open() {
      String clientId = ep.clientIdentifier();
      Connection previous = byClientId.put(clientId, this);
      if (previous != null) previous.disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER);
      metrics.connectionOpened();
      ep.publishAutoAck(false);
      ep.publishHandler(this::onPublish);
      ep.publishReleaseHandler(ep::publishComplete);
      ep.subscribeHandler(this::onSubscribe);
      ep.unsubscribeHandler(m -> {
        m.topics().forEach(errorFilters::remove);
        ep.unsubscribeAcknowledge(m.messageId());
      });
      ep.closeHandler(v -> onClosed());
      ep.exceptionHandler(err -> log.debug("MQTT client {}: {}", clientId, err.toString()));
      if (v5) {
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(),
            maxPayloadBytes + PACKET_OVERHEAD));
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), maxUnacked));
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
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
      metrics.connectionClosed();
    }

    void disconnect(MqttDisconnectReasonCode code) {
      if (closed) return;
      onClosed();
      try {
        if (v5 && ep.isConnected()) {
          ep.disconnect(code, MqttProperties.NO_PROPERTIES); // closes the connection too
        } else {
          ep.close();
        }
      } catch (IllegalStateException | IllegalArgumentException alreadyClosed) {
        log.debug("MQTT client {} already gone", ep.clientIdentifier());
      }
    }

    /** Publishes read while an MQTT 3.1.1 connection is at its cap, in arrival order. */
    final ArrayDeque<MqttPublishMessage> deferred = new ArrayDeque<>();
    SocketReads reads;
    boolean readsPaused;
    boolean draining;

    void onPublish(MqttPublishMessage msg) {
      if (closed) return;
      boolean needsAck = msg.qosLevel() != MqttQoS.AT_MOST_ONCE;
      if (!deferred.isEmpty() || (needsAck && acks.waiting() >= maxUnacked)) {
        if (v5) {
          // A compliant MQTT 5 client never has more than Receive Maximum unacknowledged (§3.3.4).
          log.debug("MQTT client {} exceeded Receive Maximum {}", ep.clientIdentifier(), maxUnacked);
          disconnect(MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
          return;
        }
        deferred.addLast(msg);
        pauseReads();
        return;
      }
      process(msg);
    }

    /** MQTT 3.1.1 at its cap: stop reading the socket (or, when it cannot be reached, disconnect). */
    void pauseReads() {
      if (readsPaused) return;
      if (reads == null) reads = SocketReads.of(ep);
      if (reads == null) {
        deferred.clear();
        disconnect(MqttDisconnectReasonCode.UNSPECIFIED_ERROR);
        return;
      }
      readsPaused = true;
      reads.pause();
    }

    /** After an acknowledgement went out: take deferred publishes while under the cap, then read again. */
    void resumeUnderCap() {
      if (closed) {
        deferred.clear();
        return;
      }
      if (draining) return; // a refusal completed synchronously inside the loop below
      draining = true;
      try {
        while (!deferred.isEmpty() && acks.waiting() < maxUnacked && !closed) process(deferred.pollFirst());
      } finally {
        draining = false;
      }
      if (closed) return;
      if (readsPaused && deferred.isEmpty() && acks.waiting() < maxUnacked) {
        readsPaused = false;
        reads.resume();
      }
    }

    void process(MqttPublishMessage msg) {
      MqttQoS qos = msg.qosLevel();
      InOrderAcks.Slot slot = qos == MqttQoS.AT_MOST_ONCE ? null : acks.reserve();
      String taskId = FixTopics.taskIdOf(msg.topicName());
      Future<Integer> stored;
      if (taskId == null) {
        metrics.rejected(Rejection.Reason.BAD_TOPIC.metricName, 1);
        stored = Future.failedFuture(new Rejection(Rejection.Reason.BAD_TOPIC,
            "publish fixes to tracklane/v1/tasks/{taskId}/fixes, not '" + msg.topicName() + "'"));
      } else if (msg.payload().length() > maxPayloadBytes) {
        metrics.rejected(Rejection.Reason.BAD_PAYLOAD.metricName, 1);
        stored = Future.failedFuture(new Rejection(Rejection.Reason.BAD_PAYLOAD,
            "payload is " + msg.payload().length() + " bytes; at most " + maxPayloadBytes + " allowed"));
      } else {
        stored = ingest.ingest("mqtt", who, taskId, msg.payload(), queueHardLimit);
      }
      stored.onComplete(ar -> {
        if (ar.failed()) report(taskId, msg, ar.cause());
        if (slot != null) {
          slot.complete(() -> acknowledge(msg, ar));
          if (!deferred.isEmpty() || readsPaused) resumeUnderCap();
        }
      });
    }

    void acknowledge(MqttPublishMessage msg, AsyncResult<Integer> result) {
      if (closed) return;
      int id = msg.messageId();
      boolean qos2 = msg.qosLevel() == MqttQoS.EXACTLY_ONCE;
      if (result.succeeded()) {
        if (qos2) ep.publishReceived(id); else ep.publishAcknowledge(id);
        return;
      }
      Rejection r = result.cause() instanceof Rejection rej ? rej
          : new Rejection(Rejection.Reason.STORE_FAILED, String.valueOf(result.cause().getMessage()));
      if (v5) {
        MqttProperties props = reasonString(r.getMessage());
        if (qos2) ep.publishReceived(id, pubRecCode(r.reason()), props);
        else ep.publishAcknowledge(id, pubAckCode(r.reason()), props);
      } else if (retryCures(r.reason())) {
        // No negative ack in 3.1.1: leave it unacknowledged and make the client reconnect and resend.
        disconnect(MqttDisconnectReasonCode.UNSPECIFIED_ERROR);
      } else {
        if (qos2) ep.publishReceived(id); else ep.publishAcknowledge(id);
      }
    }

    /** Publishes a refusal to the client's own errors topic when it subscribed to it. */
    void report(String taskId, MqttPublishMessage msg, Throwable cause) {
      if (closed || !(cause instanceof Rejection r)) return;
      String topic = FixTopics.errorsTopic(taskId);
      if (errorFilters.stream().noneMatch(f -> FixTopics.filterMatches(f, topic))) return;
      JsonObject report = new JsonObject().put("topic", msg.topicName()).put("messageId", msg.messageId())
          .put("reason", r.reason().metricName).put("message", r.getMessage());
      if (!r.errors().isEmpty()) report.put("errors", FixJson.errorsToJson(r.errors()));
      ep.publish(topic, Buffer.buffer(report.encode()), MqttQoS.AT_MOST_ONCE, false, false);
    }

    void onSubscribe(MqttSubscribeMessage m) {
      List<MqttQoS> granted = new ArrayList<>();
      for (MqttTopicSubscription s : m.topicSubscriptions()) {
        if (FixTopics.isErrorsFilter(s.topicName())) {
          errorFilters.add(s.topicName());
          granted.add(MqttQoS.AT_MOST_ONCE);
        } else {
          granted.add(MqttQoS.FAILURE);
        }
      }
      ep.subscribeAcknowledge(m.messageId(), granted);
    }
  }

  private static boolean retryCures(Rejection.Reason reason) {
    return reason == Rejection.Reason.OVERLOADED || reason == Rejection.Reason.SHUTTING_DOWN
        || reason == Rejection.Reason.STORE_FAILED;
  }

  static MqttPubAckReasonCode pubAckCode(Rejection.Reason reason) {
    return switch (reason) {
      case BAD_PAYLOAD -> MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID;
      case BAD_TOPIC -> MqttPubAckReasonCode.TOPIC_NAME_INVALID;
      case NOT_AUTHORIZED, UNKNOWN_TASK -> MqttPubAckReasonCode.NOT_AUTHORIZED;
      case OVERLOADED -> MqttPubAckReasonCode.QUOTA_EXCEEDED;
      case SHUTTING_DOWN -> MqttPubAckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
      case STORE_FAILED -> MqttPubAckReasonCode.UNSPECIFIED_ERROR;
    };
  }

  static MqttPubRecReasonCode pubRecCode(Rejection.Reason reason) {
    return MqttPubRecReasonCode.valueOf(pubAckCode(reason).value());
  }
}
