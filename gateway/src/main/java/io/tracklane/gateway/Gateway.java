package io.tracklane.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tracklane.core.fix.FixPayloadParser;
import io.tracklane.core.progress.ProgressConfig;
import io.tracklane.fixestable.DynamoClientFactory;
import io.tracklane.gateway.access.DeviceKeys;
import io.tracklane.gateway.access.DeviceStatusListener;
import io.tracklane.gateway.access.RiderTasks;
import io.tracklane.gateway.access.TaskAccess;
import io.tracklane.gateway.access.UserStatus;
import io.tracklane.gateway.access.UserStatusListener;
import io.tracklane.gateway.admin.AdminServer;
import io.tracklane.gateway.auth.Authenticator;
import io.tracklane.gateway.auth.JwksSource;
import io.tracklane.gateway.auth.JwksVerifier;
import io.tracklane.gateway.config.GatewayConfig;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.device.DeviceAuth;
import io.tracklane.gateway.device.DeviceFixIngest;
import io.tracklane.gateway.device.OwnTracksCadence;
import io.tracklane.gateway.http.HttpIngestServer;
import io.tracklane.gateway.http.PhoneAppEndpoints;
import io.tracklane.gateway.ingest.FixIngest;
import io.tracklane.gateway.live.DynamoFixHistory;
import io.tracklane.gateway.live.LiveEndpoint;
import io.tracklane.gateway.live.LiveEvents;
import io.tracklane.gateway.live.LiveHub;
import io.tracklane.gateway.live.LiveMetrics;
import io.tracklane.gateway.live.LiveTracking;
import io.tracklane.gateway.live.RouteSource;
import io.tracklane.gateway.live.TaskStatusListener;
import io.tracklane.gateway.metrics.GatewayMetrics;
import io.tracklane.gateway.mqtt.MqttIngestServer;
import io.tracklane.gateway.mqtt.OwnTracksSessions;
import io.tracklane.gateway.offers.OfferMetrics;
import io.tracklane.gateway.offers.OffersEndpoint;
import io.tracklane.gateway.offers.OffersHub;
import io.tracklane.gateway.offers.PgOfferSource;
import io.tracklane.gateway.store.FixBatchWriter;
import io.tracklane.gateway.store.TableBootstrap;
import io.tracklane.gateway.web.WebRoutes;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The gateway: MQTT, HTTP and admin listeners, the batch writer, the DynamoDB client and the live
 * stream (tracking, fan-out to managers), all on one event loop (one verticle). Undeploying it (or
 * closing Vert.x) shuts down gracefully: refuse new fixes, write and acknowledge what was accepted,
 * then close.
 */
public final class Gateway extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  /**
   * What the gateway reads from the back office: task access, routes (for live progress), users'
   * active flags, and where to LISTEN for task and user status changes ({@code null}: nowhere).
   */
  public record Backend(
      TaskAccess access,
      RouteSource routes,
      UserStatus users,
      PgConnectOptions notifications,
      DeviceKeys devices,
      RiderTasks riderTasks) {
    /** Without phone apps (device keys): every key is unknown. */
    public Backend(
        TaskAccess access, RouteSource routes, UserStatus users, PgConnectOptions notifications) {
      this(access, routes, users, notifications, DeviceKeys.NONE, RiderTasks.NONE);
    }

    /** Task access only (development): every user active, no progress, no notifications. */
    public static Backend of(TaskAccess access) {
      return new Backend(access, RouteSource.NONE, UserStatus.ALWAYS_ACTIVE, null);
    }
  }

  private final GatewayConfig config;
  private final Backend backend;
  private final TaskAccess access;
  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private GatewayMetrics metrics;
  private DynamoDbAsyncClient ddb;
  private FixBatchWriter writer;
  private FixIngest ingest;
  private MqttIngestServer mqtt;
  private HttpIngestServer http;
  private AdminServer admin;
  private LiveMetrics liveMetrics;
  private LiveTracking tracking;
  private LiveHub hub;
  private TaskStatusListener statusListener;
  private UserStatusListener userListener;
  private DeviceStatusListener deviceListener;
  private MessageConsumer<JsonObject> taskChanges;
  private OwnTracksSessions ownTracks;
  private DeviceFixIngest deviceIngest;
  private final OwnTracksCadence cadence = new OwnTracksCadence();
  private OffersHub offers;
  private Pool offersPool;
  private JwksSource jwksSource;
  private JwksVerifier verifier;
  private volatile int mqttPort;
  private volatile int httpPort;
  private volatile int adminPort;
  private String deploymentId;
  private long readyCheckedAt;
  private Future<Boolean> lastReady = Future.succeededFuture(false);

  public Gateway(
      GatewayConfig config, TaskAccess access, PrometheusMeterRegistry registry, Clock clock) {
    this(config, Backend.of(access), registry, clock);
  }

  public Gateway(
      GatewayConfig config, Backend backend, PrometheusMeterRegistry registry, Clock clock) {
    this.config = config;
    this.backend = backend;
    this.access = backend.access();
    this.registry = registry;
    this.clock = clock;
  }

  /** Deploys a gateway on {@code vertx}; the future completes when every listener is bound. */
  public static Future<Gateway> start(
      Vertx vertx, GatewayConfig config, TaskAccess access, PrometheusMeterRegistry registry) {
    return start(vertx, config, Backend.of(access), registry);
  }

  /** Deploys a gateway on {@code vertx}; the future completes when every listener is bound. */
  public static Future<Gateway> start(
      Vertx vertx, GatewayConfig config, Backend backend, PrometheusMeterRegistry registry) {
    Gateway gateway = new Gateway(config, backend, registry, Clock.systemUTC());
    return vertx
        .deployVerticle(gateway, new DeploymentOptions())
        .map(
            id -> {
              gateway.deploymentId = id;
              return gateway;
            });
  }

  /** Graceful stop (same as closing the Vert.x instance). */
  public Future<Void> shutdown() {
    return vertx.undeploy(deploymentId);
  }

  public int mqttPort() {
    return mqttPort;
  }

  public int httpPort() {
    return httpPort;
  }

  /** The admin listener: health checks and metrics. */
  public int adminPort() {
    return adminPort;
  }

  public FixBatchWriter writer() {
    return writer;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  public LiveMetrics liveMetrics() {
    return liveMetrics;
  }

  /** The live state (call on the gateway's context). */
  public LiveTracking liveTracking() {
    return tracking;
  }

  /** The live stream's clients (call on the gateway's context). */
  public LiveHub liveHub() {
    return hub;
  }

  /** Runs {@code read} on the gateway's event loop, where its state lives (tests, diagnostics). */
  public <T> Future<T> onEventLoop(Supplier<T> read) {
    Promise<T> result = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            result.complete(read.get());
          } catch (RuntimeException e) {
            result.fail(e);
          }
        });
    return result.future();
  }

  /** Whether task status changes are being listened to (false without Postgres). */
  public boolean taskStatusListening() {
    return statusListener != null && statusListener.listening();
  }

  /** Task offers to riders (null without Postgres); call on the gateway's context. */
  public OffersHub offers() {
    return offers;
  }

  /** Whether task changes for offers are being listened to (false without Postgres). */
  public boolean offersListening() {
    return offers != null && offers.listening();
  }

  /** Whether device key revocations are being listened to (false without Postgres). */
  public boolean deviceStatusListening() {
    return deviceListener != null && deviceListener.listening();
  }

  /** Whether user status changes are being listened to (false without Postgres). */
  public boolean userStatusListening() {
    return userListener != null && userListener.listening();
  }

  @Override
  public Future<?> start() {
    metrics = new GatewayMetrics(registry);
    ddb =
        DynamoClientFactory.create(
            new DynamoClientFactory.Settings(
                config.get(GatewaySettings.DYNAMODB_ENDPOINT),
                config.get(GatewaySettings.AWS_REGION),
                Math.max(64, 4 * config.get(GatewaySettings.WRITES_IN_FLIGHT)),
                // The FixBatchWriter owns retries (with backoff, metrics and back-pressure).
                false,
                config.get(GatewaySettings.WRITE_ATTEMPT_TIMEOUT_MS),
                null));
    String table = config.get(GatewaySettings.FIXES_TABLE);
    writer =
        new FixBatchWriter(
            vertx,
            context,
            ddb,
            new FixBatchWriter.Settings(
                table,
                config.get(GatewaySettings.BATCH_LINGER_MS).toMillis(),
                config.get(GatewaySettings.WRITES_IN_FLIGHT),
                config.get(GatewaySettings.RETRY_BASE_MS).toMillis(),
                config.get(GatewaySettings.RETRY_MAX_MS).toMillis(),
                config.get(GatewaySettings.FIX_RETENTION_DAYS) * 86_400L),
            metrics);
    liveMetrics = new LiveMetrics(registry);
    tracking =
        new LiveTracking(
            vertx,
            backend.routes(),
            new DynamoFixHistory(context, ddb, table),
            ProgressConfig.DEFAULTS,
            config.get(GatewaySettings.LIVE_IDLE_MS).toMillis(),
            config.get(GatewaySettings.LIVE_HISTORY_FIXES),
            liveMetrics,
            clock::millis,
            access::invalidate);
    hub =
        new LiveHub(
            vertx,
            tracking,
            liveMetrics,
            config.get(GatewaySettings.LIVE_CLIENT_QUEUE),
            config.get(GatewaySettings.LIVE_HEARTBEAT_MS).toMillis(),
            LiveTracking::coalescable);
    if (backend.notifications() != null) {
      // the offers' own small pool: its reads come in bursts (a snapshot, many new tasks at once)
      // and must not queue behind fix ingest's access checks
      offersPool =
          PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(2).setName("tracklane-offers"))
              .connectingTo(new PgConnectOptions(backend.notifications()))
              .using(vertx)
              .build();
      offers =
          new OffersHub(
              vertx,
              context,
              new PgOfferSource(offersPool),
              new OfferMetrics(registry),
              config.get(GatewaySettings.OFFERS_CLIENT_QUEUE),
              config.get(GatewaySettings.OFFERS_POSITION_MAX_AGE_MS).toMillis(),
              clock);
    }
    boolean discard = config.get(GatewaySettings.BENCHMARK_DISCARD_FIXES);
    if (discard) {
      log.warn(
          "{}=true: fixes are acknowledged and DISCARDED, nothing is stored. Benchmarks only, never in production.",
          GatewaySettings.BENCHMARK_DISCARD_FIXES.env());
    }
    ingest =
        new FixIngest(
            new FixPayloadParser(config.fixLimits()),
            access,
            writer,
            metrics,
            clock,
            tracking::stored,
            discard);
    deviceIngest =
        new DeviceFixIngest(
            ingest, new FixPayloadParser(config.fixLimits()), backend.riderTasks(), metrics, clock);
    // a task that starts or ends changes where a rider's phone-app fixes go, and their cadence
    taskChanges =
        vertx
            .eventBus()
            .<JsonObject>localConsumer(
                LiveEvents.ADDRESS,
                msg -> {
                  JsonObject e = msg.body();
                  if (!LiveEvents.TASK_STATUS.equals(e.getString("event"))) return;
                  String riderId = e.getString("riderId");
                  backend.riderTasks().changed(riderId, e.getString("taskId"));
                  if (ownTracks != null) ownTracks.taskChanged(riderId);
                });
    Future<Void> table0 =
        config.get(GatewaySettings.TABLE_BOOTSTRAP)
            ? TableBootstrap.ensureTable(vertx, ddb, table)
            : Future.succeededFuture();
    return table0
        .compose(
            v ->
                Future.all(
                    tracking.start(),
                    hub.start(),
                    offers == null ? Future.succeededFuture() : offers.start()))
        .compose(
            v -> {
              jwksSource = JwksSource.of(vertx, config);
              return JwksVerifier.start(
                  context,
                  jwksSource,
                  config.get(GatewaySettings.JWT_ISSUER),
                  config.get(GatewaySettings.JWT_AUDIENCE),
                  config.get(GatewaySettings.JWKS_REFRESH_MS).toMillis(),
                  config.get(GatewaySettings.JWKS_UNKNOWN_KID_MIN_INTERVAL_MS).toMillis(),
                  metrics);
            })
        .compose(
            keys -> {
              verifier = keys;
              Authenticator auth = new Authenticator(keys, backend.users());
              int maxBytes = config.get(GatewaySettings.MAX_MESSAGE_BYTES);
              mqtt =
                  new MqttIngestServer(
                      vertx,
                      auth,
                      ingest,
                      metrics,
                      maxBytes,
                      config.get(GatewaySettings.QUEUE_HARD_LIMIT),
                      config.get(GatewaySettings.MQTT_MAX_UNACKED));
              mqtt.offers(offers);
              DeviceAuth deviceAuth = new DeviceAuth(backend.devices(), backend.users());
              ownTracks =
                  new OwnTracksSessions(
                      deviceAuth,
                      deviceIngest,
                      metrics,
                      maxBytes,
                      config.get(GatewaySettings.QUEUE_HARD_LIMIT),
                      config.get(GatewaySettings.MQTT_MAX_UNACKED));
              mqtt.devices(ownTracks);
              PhoneAppEndpoints phoneApps =
                  new PhoneAppEndpoints(
                      deviceAuth,
                      deviceIngest,
                      cadence,
                      metrics,
                      maxBytes,
                      config.get(GatewaySettings.QUEUE_SOFT_LIMIT),
                      config.get(GatewaySettings.RETRY_AFTER_SECONDS),
                      clock);
              LiveEndpoint live = new LiveEndpoint(vertx, keys, hub);
              OffersEndpoint offersSse =
                  offers == null
                      ? null
                      : new OffersEndpoint(
                          vertx,
                          auth,
                          offers,
                          config.get(GatewaySettings.LIVE_HEARTBEAT_MS).toMillis());
              http =
                  new HttpIngestServer(
                      vertx,
                      auth,
                      ingest,
                      maxBytes,
                      config.get(GatewaySettings.QUEUE_SOFT_LIMIT),
                      config.get(GatewaySettings.RETRY_AFTER_SECONDS),
                      r -> {
                        live.mount(r);
                        phoneApps.mount(r);
                        if (offersSse != null) offersSse.mount(r);
                        String api = config.get(GatewaySettings.BACKOFFICE_API_URL);
                        if (!api.isEmpty()) mountWeb(r, api);
                      });
              return mqtt.listen(
                      config.get(GatewaySettings.MQTT_HOST), config.get(GatewaySettings.MQTT_PORT))
                  .compose(
                      p -> {
                        mqttPort = p;
                        return http.listen(
                            config.get(GatewaySettings.HTTP_HOST),
                            config.get(GatewaySettings.HTTP_PORT));
                      })
                  .compose(
                      p -> {
                        httpPort = p;
                        admin =
                            new AdminServer(vertx, registry, ingest::isAccepting, this::storeReady);
                        return admin.listen(
                            config.get(GatewaySettings.ADMIN_HOST),
                            config.get(GatewaySettings.ADMIN_PORT));
                      })
                  .map(p -> adminPort = p);
            })
        .onSuccess(
            v -> {
              if (backend.notifications() != null) {
                statusListener = TaskStatusListener.start(vertx, backend.notifications());
                offers.listen(backend.notifications());
                // on the gateway's context, in this order: a CONNECT whose user check is still
                // running
                // sees the new answer, and the open sessions are ended
                userListener =
                    UserStatusListener.start(
                        vertx,
                        backend.notifications(),
                        (userId, active) ->
                            context.runOnContext(
                                x -> {
                                  backend.users().told(userId, active);
                                  if (!active) {
                                    mqtt.disconnectUser(userId);
                                    offers.disconnectUser(userId);
                                  }
                                }),
                        () ->
                            context.runOnContext(
                                x -> {
                                  backend.users().forgetAll();
                                  mqtt.recheckUsers();
                                }));
              }
              if (backend.notifications() != null) {
                deviceListener =
                    DeviceStatusListener.start(
                        vertx,
                        backend.notifications(),
                        (deviceId, revoked) ->
                            context.runOnContext(
                                x -> {
                                  backend.devices().told(deviceId, revoked);
                                  cadence.forget(deviceId);
                                  if (revoked) ownTracks.disconnectDevice(deviceId);
                                }),
                        () ->
                            context.runOnContext(
                                x -> {
                                  backend.devices().forgetAll();
                                  mqtt.recheckUsers();
                                }));
              }
              log.info(
                  "gateway up: MQTT {} HTTP {} admin {} table {}",
                  mqttPort,
                  httpPort,
                  adminPort,
                  table);
            })
        .onFailure(
            err -> {
              if (verifier != null) verifier.close();
              if (jwksSource != null) jwksSource.close();
              ddb.close();
              if (offersPool != null) offersPool.close();
            });
  }

  @Override
  public Future<?> stop() {
    ingest.stopAccepting();
    long grace = config.get(GatewaySettings.SHUTDOWN_GRACE_MS).toMillis();
    log.info(
        "gateway stopping: writing {} queued fixes (grace {} ms)", writer.outstanding(), grace);
    return writer
        .drain(grace)
        .onFailure(
            err ->
                log.warn(
                    "shutdown: {}; unacknowledged fixes will be resent by clients",
                    err.getMessage()))
        .transform(
            ar ->
                Future.join(
                    List.of(
                        hub.close(),
                        offers == null ? Future.succeededFuture() : offers.close(),
                        tracking.close(),
                        statusListener == null ? Future.succeededFuture() : statusListener.close(),
                        userListener == null ? Future.succeededFuture() : userListener.close(),
                        deviceListener == null ? Future.succeededFuture() : deviceListener.close(),
                        taskChanges == null ? Future.succeededFuture() : taskChanges.unregister())))
        .transform(
            ar -> {
              verifier.close();
              return Future.join(
                  mqtt.close(),
                  http.close(),
                  jwksSource.close(),
                  admin == null ? Future.succeededFuture() : admin.close(),
                  offersPool == null ? Future.succeededFuture() : offersPool.close());
            })
        .transform(
            ar ->
                vertx.executeBlocking(
                    () -> {
                      ddb.close();
                      return null;
                    }));
  }

  /** Whether the fixes table answers DescribeTable as ACTIVE; cached for a second. */
  private Future<Boolean> storeReady() {
    long now = System.currentTimeMillis();
    if (now - readyCheckedAt < 1000 && lastReady.isComplete()) return lastReady;
    readyCheckedAt = now;
    lastReady =
        Future.fromCompletionStage(
                ddb.describeTable(b -> b.tableName(config.get(GatewaySettings.FIXES_TABLE))),
                context)
            .map(r -> r.table().tableStatus() == TableStatus.ACTIVE)
            .otherwise(false);
    return lastReady;
  }

  /**
   * The web pages: from TRACKLANE_WEB_ROOT when set, else from the web jar on the classpath; with
   * neither, the gateway runs without pages (and says so).
   */
  private void mountWeb(Router router, String api) {
    String dir = config.get(GatewaySettings.WEB_ROOT);
    Path root = dir.isEmpty() ? null : Path.of(dir);
    if (root == null && !WebRoutes.onClasspath()) {
      log.warn(
          "{} is set but there are no web pages: set {} to the web module's webroot folder or put"
              + " the web jar on the classpath",
          GatewaySettings.BACKOFFICE_API_URL.env(),
          GatewaySettings.WEB_ROOT.env());
      return;
    }
    List<String> uploads =
        Arrays.stream(config.get(GatewaySettings.WEB_UPLOAD_ORIGINS).split(","))
            .map(String::trim)
            .filter(o -> !o.isEmpty())
            .toList();
    WebRoutes.mount(router, api, WebRoutes.DEFAULT_LIVE_URL, null, uploads, root);
    log.info("web pages at /dashboard/, /admin/, /rider/ from {}", WebRoutes.describe(root));
  }
}
