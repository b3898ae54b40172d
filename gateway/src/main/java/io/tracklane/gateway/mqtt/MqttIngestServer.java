package io.tracklane.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.tracklane.core.auth.Principal;
import io.tracklane.core.auth.TokenRejected;
import io.tracklane.core.auth.VerifiedToken;
import io.tracklane.core.fix.FixJson;
import io.tracklane.gateway.access.DeviceKeys;
import io.tracklane.gateway.auth.Authenticator;
import io.tracklane.gateway.auth.UserDeactivated;
import io.tracklane.gateway.ingest.FixIngest;
import io.tracklane.gateway.ingest.Rejection;
import io.tracklane.gateway.metrics.GatewayMetrics;
import io.tracklane.gateway.offers.OfferStream;
import io.tracklane.gateway.offers.OffersHub;
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
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
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
 * 3.1.1 has no negative acknowledgement, so a payload that can never be stored (bad JSON or fields,
 * wrong topic, task not the rider's) is acknowledged — resending it would loop forever — and the
 * refusal is published to the client on {@code tracklane/v1/tasks/{taskId}/errors} if it
 * subscribed; a refusal that a retry can cure (overload, shutdown, store failure) closes the
 * connection without the acknowledgement, so the client resends after reconnecting.
 *
 * <p>A session lasts as long as its authorisation: it ends when the access token expires (MQTT 5:
 * DISCONNECT 0xA0 Maximum connect time; 3.1.1: the connection is closed; messages whose fixes are
 * already being written are acknowledged first if that takes at most {@value #EXPIRY_ACK_GRACE_MS}
 * ms, and nothing unwritten is ever acknowledged) and at once when the user is deactivated (MQTT 5:
 * DISCONNECT 0x87 Not authorized). The client reconnects with a fresh token. A client id belongs to
 * the user connected with it: the same user's new CONNECT takes the session over, another user's is
 * refused (MQTT 5 CONNACK 0x85, 3.1.1 0x02) and never disturbs the owner.
 *
 * <p>Unacknowledged QoS 1/2 messages per connection are capped ({@code maxUnacked}). MQTT 5 is told
 * the cap as Receive Maximum in CONNACK and a client exceeding it is disconnected with 0x93
 * (Receive Maximum exceeded, as the specification requires). MQTT 3.1.1 has no such property, so at
 * the cap the connection's socket stops being read ({@link SocketReads}): TCP flow control makes
 * the client wait, nothing is lost or refused, and reading resumes as acknowledgements go out.
 * Messages already decoded from the last read wait in order for their turn. (Should the socket be
 * unreachable, the 3.1.1 client is disconnected without acknowledgements instead and resends.) A
 * connection paused longer than 1.5 keep-alive intervals is closed by the keep-alive check.
 *
 * <p>Subscriptions: a rider may subscribe to its task offers ({@link FixTopics#OFFERS}, QoS 0 or 1;
 * see {@link OffersHub}) and to its own error reports; any other filter (wildcards, other riders'
 * topics, unknown topics) is refused in the SUBACK (MQTT 5: 0x87 Not authorized, 3.1.1: 0x80).
 *
 * <p>All connections run on the gateway's one event loop; no state here is shared across threads.
 */
public final class MqttIngestServer {
  private static final Logger log = LoggerFactory.getLogger(MqttIngestServer.class);

  /** Topic name and MQTT 5 properties on top of the payload limit. */
  private static final int PACKET_OVERHEAD = 1024;

  /**
   * On token expiry, how long acknowledgements of fixes already being written may still be sent.
   */
  static final long EXPIRY_ACK_GRACE_MS = 2000;

  static final String EXPIRED = "token expired; reconnect with a fresh token";
  static final String DEACTIVATED = "user deactivated";

  private final Vertx vertx;
  private final Authenticator auth;
  private final FixIngest ingest;
  private final GatewayMetrics metrics;
  private final int maxPayloadBytes;
  private final int queueHardLimit;
  private final int maxUnacked;
  private final Map<String, Connection> byClientId = new HashMap<>();
  private final Map<String, Set<Connection>> byUser = new HashMap<>();
  private MqttServer server;
  private OffersHub offers;
  private OwnTracksSessions devices;

  /** Most offers awaiting a QoS 1 subscriber's PUBACK (fewer if its Receive Maximum is lower). */
  static final int OFFERS_MAX_IN_FLIGHT = 100;

  public MqttIngestServer(
      Vertx vertx,
      Authenticator auth,
      FixIngest ingest,
      GatewayMetrics metrics,
      int maxPayloadBytes,
      int queueHardLimit) {
    this(vertx, auth, ingest, metrics, maxPayloadBytes, queueHardLimit, 65_535);
  }

  /**
   * @param maxUnacked most QoS 1/2 messages per connection awaiting their acknowledgement
   */
  public MqttIngestServer(
      Vertx vertx,
      Authenticator auth,
      FixIngest ingest,
      GatewayMetrics metrics,
      int maxPayloadBytes,
      int queueHardLimit,
      int maxUnacked) {
    this.maxUnacked = maxUnacked;
    this.vertx = vertx;
    this.auth = auth;
    this.ingest = ingest;
    this.metrics = metrics;
    this.maxPayloadBytes = maxPayloadBytes;
    this.queueHardLimit = queueHardLimit;
  }

  public Future<Integer> listen(String host, int port) {
    MqttServerOptions options =
        new MqttServerOptions()
            .setHost(host)
            .setPort(port)
            .setMaxMessageSize(maxPayloadBytes + PACKET_OVERHEAD)
            .setTimeoutOnConnect(10)
            .setAutoClientId(true);
    server =
        MqttServer.create(vertx, options)
            .endpointHandler(this::onConnect)
            .exceptionHandler(err -> log.debug("MQTT connection error: {}", err.toString()));
    return server.listen().map(MqttServer::actualPort);
  }

  /** Serves subscriptions to {@link FixTopics#OFFERS} from {@code hub} (without: refused). */
  public MqttIngestServer offers(OffersHub hub) {
    this.offers = hub;
    return this;
  }

  /** Serves OwnTracks device sessions (a CONNECT whose password is a device key) with {@code s}. */
  public MqttIngestServer devices(OwnTracksSessions s) {
    this.devices = s;
    return this;
  }

  public int connections() {
    return byClientId.size();
  }

  /**
   * Ends every connection of {@code userId} at once (MQTT 5: DISCONNECT 0x87 "user deactivated").
   */
  public void disconnectUser(String userId) {
    if (devices != null) devices.disconnectUser(userId);
    Set<Connection> theirs = byUser.get(userId);
    if (theirs == null) return;
    for (Connection c : new ArrayList<>(theirs)) {
      metrics.mqttSessionEnded("user_deactivated");
      c.disconnect(MqttDisconnectReasonCode.NOT_AUTHORIZED, DEACTIVATED);
    }
  }

  /** Checks every connected user again (after notifications may have been missed). */
  public void recheckUsers() {
    if (devices != null) devices.recheck();
    for (String userId : new ArrayList<>(byUser.keySet())) {
      auth.users()
          .isActive(userId)
          .onSuccess(
              active -> {
                if (!active) disconnectUser(userId);
              });
    }
  }

  /**
   * Tells MQTT 5 clients the server is going away, then closes every connection and the listener.
   */
  public Future<Void> close() {
    if (devices != null) devices.closeAll();
    for (Connection c : new ArrayList<>(byClientId.values())) {
      c.disconnect(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN);
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void onConnect(MqttEndpoint ep) {
    boolean v5 = ep.protocolVersion() == 5;
    if (!ingest.isAccepting()) {
      ep.reject(
          v5
              ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
              : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
      return;
    }
    String token = ep.auth() == null ? null : ep.auth().getPassword();
    // a JWT has two dots, a device key none
    if (devices != null && DeviceKeys.looksLikeKey(token)) {
      devices.connect(ep, v5, token);
      return;
    }
    auth.authenticate(token)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                if (ar.cause() instanceof TokenRejected) {
                  metrics.mqttRefused("bad_token");
                  refuse(
                      ep,
                      v5,
                      MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD,
                      ar.cause().getMessage());
                } else if (ar.cause() instanceof UserDeactivated) {
                  metrics.mqttRefused("user_deactivated");
                  refuse(
                      ep,
                      v5,
                      MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
                      DEACTIVATED);
                } else {
                  log.warn("MQTT CONNECT refused: {}", String.valueOf(ar.cause().getCause()));
                  metrics.mqttRefused("user_check_failed");
                  refuse(
                      ep,
                      v5,
                      MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5,
                      MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                      ar.cause().getMessage());
                }
                return;
              }
              VerifiedToken token0 = ar.result();
              Principal who = token0.principal();
              if (!who.isRider()) {
                metrics.mqttRefused("not_rider");
                refuse(
                    ep,
                    v5,
                    MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
                    "only riders publish fixes; this token's role is '" + who.role() + "'");
                return;
              }
              // The verifier allows clock-skew leeway; a session still ends at exp, so one would
              // end at once.
              if (token0.expiresAtMs() <= System.currentTimeMillis()) {
                metrics.mqttRefused("bad_token");
                refuse(
                    ep,
                    v5,
                    MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD,
                    EXPIRED);
                return;
              }
              Connection owner = byClientId.get(ep.clientIdentifier());
              if (owner != null && !owner.who.subject().equals(who.subject())) {
                metrics.mqttRefused("client_id_taken");
                refuse(
                    ep,
                    v5,
                    MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID,
                    MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    "client id '" + ep.clientIdentifier() + "' is in use by another user");
                return;
              }
              new Connection(ep, who, v5, token0.expiresAtMs()).open();
            });
  }

  static void refuse(MqttEndpoint ep, boolean v5, MqttConnectReturnCode v5Code, String reason) {
    refuse(ep, v5, v5Code, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, reason);
  }

  static void refuse(
      MqttEndpoint ep,
      boolean v5,
      MqttConnectReturnCode v5Code,
      MqttConnectReturnCode v3Code,
      String reason) {
    try {
      if (v5) {
        ep.reject(v5Code, reasonString(reason));
      } else {
        ep.reject(v3Code);
      }
    } catch (IllegalStateException gone) {
      log.debug("MQTT client {} left before its CONNACK", ep.clientIdentifier());
    }
  }

  static MqttProperties reasonString(String reason) {
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
    final long expiresAtMs;
    OfferStream offerStream;
    MqttOfferTransport offerTransport;
    boolean closed;
    long expiryTimer = -1;
    long graceTimer = -1;

    /** Set when the session is ending: new messages are ignored (never acknowledged). */
    MqttDisconnectReasonCode endCode;

    String endReason;

    Connection(MqttEndpoint ep, Principal who, boolean v5, long expiresAtMs) {
      this.ep = ep;
      this.who = who;
      this.v5 = v5;
      this.expiresAtMs = expiresAtMs;
    }

    void open() {
      String clientId = ep.clientIdentifier();
      Connection previous = byClientId.put(clientId, this);
      if (previous != null) previous.disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER);
      byUser.computeIfAbsent(who.subject(), u -> new HashSet<>()).add(this);
      expiryTimer =
          vertx.setTimer(Math.max(1, expiresAtMs - System.currentTimeMillis()), id -> expired());
      metrics.connectionOpened();
      ep.publishAutoAck(false);
      ep.publishHandler(this::onPublish);
      ep.publishReleaseHandler(ep::publishComplete);
      ep.subscribeHandler(this::onSubscribe);
      ep.unsubscribeHandler(
          m -> {
            m.topics().forEach(errorFilters::remove);
            if (m.topics().contains(FixTopics.OFFERS)) stopOffers();
            ep.unsubscribeAcknowledge(m.messageId());
          });
      ep.publishAcknowledgeHandler(
          id -> {
            if (offerTransport != null) offerTransport.acknowledged();
          });
      ep.closeHandler(v -> onClosed());
      ep.exceptionHandler(err -> log.debug("MQTT client {}: {}", clientId, err.toString()));
      if (v5) {
        MqttProperties props = new MqttProperties();
        props.add(
            new MqttProperties.IntegerProperty(
                MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), maxPayloadBytes + PACKET_OVERHEAD));
        props.add(new MqttProperties.IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
        props.add(
            new MqttProperties.IntegerProperty(
                MqttPropertyType.RECEIVE_MAXIMUM.value(), maxUnacked));
        props.add(
            new MqttProperties.IntegerProperty(
                MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
        ep.accept(false, props);
      } else {
        ep.accept(false);
      }
    }

    void onClosed() {
      if (closed) return;
      closed = true;
      vertx.cancelTimer(expiryTimer);
      if (graceTimer >= 0) vertx.cancelTimer(graceTimer);
      acks.discard();
      stopOffers();
      byClientId.remove(ep.clientIdentifier(), this);
      Set<Connection> theirs = byUser.get(who.subject());
      if (theirs != null && theirs.remove(this) && theirs.isEmpty()) byUser.remove(who.subject());
      metrics.connectionClosed();
    }

    /**
     * The token expired: acknowledge what is already being written (for at most the grace), then
     * disconnect. Messages arriving meanwhile are ignored, so they are resent after reconnecting.
     */
    void expired() {
      if (closed || endCode != null) return;
      metrics.mqttSessionEnded("token_expired");
      endCode = MqttDisconnectReasonCode.MAXIMUM_CONNECT_TIME;
      endReason = EXPIRED;
      if (acks.waiting() == 0) {
        disconnect(endCode, endReason);
      } else {
        graceTimer = vertx.setTimer(EXPIRY_ACK_GRACE_MS, id -> disconnect(endCode, endReason));
      }
    }

    void disconnect(MqttDisconnectReasonCode code) {
      disconnect(code, null);
    }

    void disconnect(MqttDisconnectReasonCode code, String reason) {
      if (closed) return;
      onClosed();
      try {
        if (v5 && ep.isConnected()) {
          // closes the connection too
          ep.disconnect(code, reason == null ? MqttProperties.NO_PROPERTIES : reasonString(reason));
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
      if (closed || endCode != null) return; // ending: not stored, never acknowledged
      boolean needsAck = msg.qosLevel() != MqttQoS.AT_MOST_ONCE;
      if (!deferred.isEmpty() || (needsAck && acks.waiting() >= maxUnacked)) {
        if (v5) {
          // A compliant MQTT 5 client never has more than Receive Maximum unacknowledged (§3.3.4).
          log.debug(
              "MQTT client {} exceeded Receive Maximum {}", ep.clientIdentifier(), maxUnacked);
          disconnect(MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
          return;
        }
        deferred.addLast(msg);
        pauseReads();
        return;
      }
      process(msg);
    }

    /**
     * MQTT 3.1.1 at its cap: stop reading the socket (or, when it cannot be reached, disconnect).
     */
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

    /**
     * After an acknowledgement went out: take deferred publishes while under the cap, then read
     * again.
     */
    void resumeUnderCap() {
      if (closed) {
        deferred.clear();
        return;
      }
      if (draining) return; // a refusal completed synchronously inside the loop below
      draining = true;
      try {
        while (!deferred.isEmpty() && acks.waiting() < maxUnacked && !closed && endCode == null) {
          process(deferred.pollFirst());
        }
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
        stored =
            Future.failedFuture(
                new Rejection(
                    Rejection.Reason.BAD_TOPIC,
                    "publish fixes to tracklane/v1/tasks/{taskId}/fixes, not '"
                        + msg.topicName()
                        + "'"));
      } else if (msg.payload().length() > maxPayloadBytes) {
        metrics.rejected(Rejection.Reason.BAD_PAYLOAD.metricName, 1);
        stored =
            Future.failedFuture(
                new Rejection(
                    Rejection.Reason.BAD_PAYLOAD,
                    "payload is "
                        + msg.payload().length()
                        + " bytes; at most "
                        + maxPayloadBytes
                        + " allowed"));
      } else {
        stored = ingest.ingest("mqtt", who, taskId, msg.payload(), queueHardLimit);
      }
      stored.onComplete(
          ar -> {
            if (ar.failed()) report(taskId, msg, ar.cause());
            if (slot != null) {
              slot.complete(() -> acknowledge(msg, ar));
              if (!deferred.isEmpty() || readsPaused) resumeUnderCap();
            }
            if (endCode != null && !closed && acks.waiting() == 0) disconnect(endCode, endReason);
          });
    }

    void acknowledge(MqttPublishMessage msg, AsyncResult<Integer> result) {
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
        MqttProperties props = reasonString(r.getMessage());
        if (qos2) ep.publishReceived(id, pubRecCode(r.reason()), props);
        else ep.publishAcknowledge(id, pubAckCode(r.reason()), props);
      } else if (retryCures(r.reason())) {
        // No negative ack in 3.1.1: leave it unacknowledged and make the client reconnect and
        // resend.
        disconnect(MqttDisconnectReasonCode.UNSPECIFIED_ERROR);
      } else {
        if (qos2) ep.publishReceived(id);
        else ep.publishAcknowledge(id);
      }
    }

    /** Publishes a refusal to the client's own errors topic when it subscribed to it. */
    void report(String taskId, MqttPublishMessage msg, Throwable cause) {
      if (closed || !(cause instanceof Rejection r)) return;
      String topic = FixTopics.errorsTopic(taskId);
      if (errorFilters.stream().noneMatch(f -> FixTopics.filterMatches(f, topic))) return;
      JsonObject report =
          new JsonObject()
              .put("topic", msg.topicName())
              .put("messageId", msg.messageId())
              .put("reason", r.reason().metricName)
              .put("message", r.getMessage());
      if (!r.errors().isEmpty()) report.put("errors", FixJson.errorsToJson(r.errors()));
      ep.publish(topic, Buffer.buffer(report.encode()), MqttQoS.AT_MOST_ONCE, false, false);
    }

    void onSubscribe(MqttSubscribeMessage m) {
      List<MqttQoS> granted = new ArrayList<>();
      MqttQoS offersQos = null;
      for (MqttTopicSubscription s : m.topicSubscriptions()) {
        if (FixTopics.isErrorsFilter(s.topicName())) {
          errorFilters.add(s.topicName());
          granted.add(MqttQoS.AT_MOST_ONCE);
        } else if (offers != null && FixTopics.OFFERS.equals(s.topicName())) {
          offersQos =
              s.qualityOfService() == MqttQoS.AT_MOST_ONCE
                  ? MqttQoS.AT_MOST_ONCE
                  : MqttQoS.AT_LEAST_ONCE;
          granted.add(offersQos);
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
      // after the SUBACK: the snapshot follows it
      if (offersQos != null) startOffers(offersQos);
    }

    /** (Re)subscribes this rider to offers: a new snapshot, then live events. */
    void startOffers(MqttQoS qos) {
      // PUBACKs of the previous subscription's offers may still come
      int inFlight = offerTransport == null ? 0 : offerTransport.inFlight();
      stopOffers();
      if (closed) return;
      int receiveMax = OFFERS_MAX_IN_FLIGHT;
      if (v5) {
        MqttProperties.MqttProperty<?> p =
            ep.connectProperties().getProperty(MqttPropertyType.RECEIVE_MAXIMUM.value());
        if (p != null && p.value() instanceof Integer max && max > 0)
          receiveMax = Math.min(receiveMax, max);
      }
      offerTransport =
          new MqttOfferTransport(
              ep,
              qos,
              receiveMax,
              inFlight,
              () -> disconnect(MqttDisconnectReasonCode.QUOTA_EXCEEDED, "too slow reading offers"));
      offerStream = offers.subscribe(who.subject(), "mqtt", offerTransport);
    }

    void stopOffers() {
      if (offerStream != null) offerStream.cancel();
      offerStream = null;
      offerTransport = null;
    }
  }

  static boolean retryCures(Rejection.Reason reason) {
    return reason == Rejection.Reason.OVERLOADED
        || reason == Rejection.Reason.SHUTTING_DOWN
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
