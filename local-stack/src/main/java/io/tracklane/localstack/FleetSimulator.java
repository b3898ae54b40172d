package io.tracklane.localstack;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A demo fleet: each seeded rider logs in through the back-office API, claims and starts one of the
 * open demo tasks, then rides its route, publishing a fix over MQTT (QoS 1, the access token as
 * password) every {@link Options#fixIntervalMs} of simulated time, and completes the task on
 * arrival. With {@link Options#speedup} {@code f}, simulated time runs {@code f} times faster than
 * the wall clock: factor 10 publishes a fix every second, each 10 s later than the one before. Fix
 * times are anchored so that the last one is "now": they never run ahead of the gateway's clock,
 * whatever the factor.
 *
 * <p>One rider ({@link Options#offRouteRider}) leaves the route about {@link Options#offRouteM}
 * metres to the side for a while early in the ride, so an off-route alert shows within the first
 * minute; another one stops for a while halfway. Bounded: it finishes when every task has arrived,
 * or at {@link Options#maxWall} at the latest.
 */
public final class FleetSimulator implements AutoCloseable {
  /** Riding speeds (m/s) of the first, second, third… rider: a bicycle, an e-bike, a scooter. */
  static final double[] SPEEDS_MPS = {5.0, 4.2, 5.8, 4.6, 5.4};

  /** Simulated fixes before the off-route rider turns off the route. */
  static final int DETOUR_START_TICK = 2;

  /** Lateral offsets (m) of the detour, one per fix: out, along a parallel street, and back. */
  static final double[] DETOUR_PROFILE = {0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5};

  /** Simulated fixes the stopping rider stands still (at 10 s a fix: three minutes). */
  static final int STOP_TICKS = 18;

  /**
   * @param speedup simulated seconds per wall-clock second (1 = real time)
   * @param fixIntervalMs simulated time between fixes
   * @param offRouteRider index of the rider who leaves the route (-1: nobody)
   * @param offRouteM how far to the side that rider goes
   * @param stoppingRider index of the rider who stops halfway for a while (-1: nobody)
   * @param maxWall the simulation gives up after this long
   */
  public record Options(
      double speedup,
      long fixIntervalMs,
      int offRouteRider,
      double offRouteM,
      int stoppingRider,
      Duration maxWall) {
    public Options {
      if (!(speedup >= 0.1 && speedup <= 1000))
        throw new IllegalArgumentException("speedup must be 0.1..1000, got " + speedup);
      if (fixIntervalMs < 1000) throw new IllegalArgumentException("fixIntervalMs must be >= 1000");
    }

    public static Options defaults() {
      return new Options(5, 10_000, 0, 200, 1, Duration.ofMinutes(30));
    }

    public Options withSpeedup(double v) {
      return new Options(v, fixIntervalMs, offRouteRider, offRouteM, stoppingRider, maxWall);
    }

    public Options withMaxWall(Duration v) {
      return new Options(speedup, fixIntervalMs, offRouteRider, offRouteM, stoppingRider, v);
    }
  }

  /** What one rider did: {@code error} null when the task was completed. */
  public record RiderReport(
      String rider,
      String taskId,
      int fixesPublished,
      int fixesAcknowledged,
      boolean completed,
      String error) {
    @Override
    public String toString() {
      return rider
          + ": task "
          + taskId
          + ", "
          + fixesAcknowledged
          + "/"
          + fixesPublished
          + " fixes acknowledged, "
          + (completed ? "completed" : "stopped: " + error);
    }
  }

  private final String apiUrl;
  private final String mqttHost;
  private final int mqttPort;
  private final Options options;
  private final Consumer<String> log;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService workers;
  private final CompletableFuture<List<RiderReport>> done;
  private volatile boolean closing;

  private FleetSimulator(
      String apiUrl,
      String mqttHost,
      int mqttPort,
      Options options,
      Consumer<String> log,
      Map<String, String> riderPasswords) {
    this.apiUrl = apiUrl;
    this.mqttHost = mqttHost;
    this.mqttPort = mqttPort;
    this.options = options;
    this.log = log;
    this.workers =
        Executors.newFixedThreadPool(
            Math.max(1, riderPasswords.size()),
            r -> {
              Thread t = new Thread(r, "fleet-simulator");
              t.setDaemon(true);
              return t;
            });
    List<CompletableFuture<RiderReport>> riders = new ArrayList<>();
    int index = 0;
    for (Map.Entry<String, String> e : riderPasswords.entrySet()) {
      int i = index++;
      riders.add(CompletableFuture.supplyAsync(() -> ride(i, e.getKey(), e.getValue()), workers));
    }
    this.done =
        CompletableFuture.allOf(riders.toArray(CompletableFuture[]::new))
            .thenApply(v -> riders.stream().map(CompletableFuture::join).toList());
  }

  /**
   * Starts riding at once (in the background).
   *
   * @param riderPasswords username → password of each rider, in riding order
   */
  public static FleetSimulator start(
      String apiUrl,
      String mqttHost,
      int mqttPort,
      Map<String, String> riderPasswords,
      Options options,
      Consumer<String> log) {
    return new FleetSimulator(apiUrl, mqttHost, mqttPort, options, log, riderPasswords);
  }

  /** The seeded riders of a local stack, logging to standard output. */
  public static FleetSimulator start(LocalStack stack, Options options) {
    Map<String, String> riders = new LinkedHashMap<>();
    for (String r : DemoSeed.RIDERS) riders.put(r, stack.seeded.passwords().get(r));
    return start(
        stack.apiUrl(),
        "127.0.0.1",
        stack.gateway.mqttPort(),
        riders,
        options,
        line -> System.out.println("[simulator] " + line));
  }

  /** Completes when every rider has arrived (or given up). */
  public CompletableFuture<List<RiderReport>> done() {
    return done;
  }

  @Override
  public void close() {
    closing = true;
    workers.shutdownNow();
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closing anyway
    }
  }

  // -------------------------------------------------------------------------------------------

  private RiderReport ride(int index, String username, String password) {
    Rider r = new Rider(index, username, password);
    try {
      r.token = login(username, password);
      r.taskId = acquireTask(r);
      JsonObject task = call("GET", "/tasks/" + enc(r.taskId), r, null, 200);
      JsonObject route = call("GET", "/routes/" + enc(task.getString("routeId")), r, null, 200);
      List<GeoPoint> pts = new ArrayList<>();
      for (Object c : route.getJsonObject("geometry").getJsonArray("coordinates")) {
        JsonArray lonLat = (JsonArray) c;
        pts.add(GeoPoint.fromLonLat(lonLat.getDouble(0), lonLat.getDouble(1)));
      }
      List<JsonObject> plan = plan(index, Polyline.of(pts));
      log.accept(
          String.format(
              "%s rides \"%s\" (task %s): %d fixes, %.0f m%s%s",
              username,
              task.getString("title"),
              r.taskId,
              plan.size(),
              Polyline.of(pts).lengthM(),
              index == options.offRouteRider() ? ", leaving the route for a while" : "",
              index == options.stoppingRider() ? ", stopping halfway" : ""));
      publish(r, plan);
      call("POST", "/tasks/" + enc(r.taskId) + "/complete", r, null, 200);
      log.accept(username + " arrived and completed task " + r.taskId);
      return new RiderReport(username, r.taskId, r.published.get(), r.acked.get(), true, null);
    } catch (Exception e) {
      if (!closing) log.accept(username + " stopped: " + e.getMessage());
      return new RiderReport(
          username,
          r.taskId,
          r.published.get(),
          r.acked.get(),
          false,
          String.valueOf(e.getMessage()));
    }
  }

  /**
   * The rider's task: one already in progress or claimed (a previous run), else a newly claimed
   * open one.
   */
  private String acquireTask(Rider r) throws Exception {
    for (String status : List.of("in_progress", "claimed")) {
      JsonArray mine =
          call("GET", "/riders/me/tasks?status=" + status, r, null, 200).getJsonArray("items");
      if (!mine.isEmpty()) {
        String id = mine.getJsonObject(0).getString("id");
        if (status.equals("claimed")) call("POST", "/tasks/" + enc(id) + "/start", r, null, 200);
        return id;
      }
    }
    JsonArray open = call("GET", "/tasks?status=open&limit=50", r, null, 200).getJsonArray("items");
    for (int k = 0; k < open.size(); k++) {
      // riders start at different tasks, so they rarely race for the same one
      String id = open.getJsonObject((k + r.index) % open.size()).getString("id");
      HttpResponse<String> claim = send("POST", "/tasks/" + enc(id) + "/claim", r.token, null);
      if (claim.statusCode() == 200) {
        call("POST", "/tasks/" + enc(id) + "/start", r, null, 200);
        return id;
      }
      if (claim.statusCode() != 409)
        throw new IllegalStateException(
            "claim " + id + " → " + claim.statusCode() + " " + claim.body());
    }
    throw new IllegalStateException("no open task left to claim");
  }

  /**
   * The fixes of one ride, every {@code fixIntervalMs} of simulated time from the start of the
   * route to its end, with this rider's detour or stop; times anchored so the last fix is due now.
   */
  List<JsonObject> plan(int index, Polyline line) {
    double speed = SPEEDS_MPS[index % SPEEDS_MPS.length];
    double step = speed * options.fixIntervalMs() / 1000.0;
    boolean detours = index == options.offRouteRider();
    boolean stops = index == options.stoppingRider();
    double stopAt = line.lengthM() / 2;
    List<double[]> positions = new ArrayList<>(); // lat, lon, speed, heading
    double along = 0;
    int tick = 0;
    int stopped = 0;
    while (true) {
      double offset = 0;
      double v = speed;
      int d = tick - DETOUR_START_TICK;
      if (detours && d >= 0 && d < DETOUR_PROFILE.length) {
        offset = DETOUR_PROFILE[d] * options.offRouteM();
      }
      GeoPoint p = line.pointAt(along);
      GeoPoint ahead = line.pointAt(Math.min(line.lengthM(), along + 10));
      GeoPoint behind = line.pointAt(Math.max(0, along - 10));
      double heading = bearing(behind, ahead);
      if (offset > 0) p = offsetLeft(p, heading, offset);
      if (stops && along >= stopAt && stopped < STOP_TICKS) {
        stopped++;
        v = 0;
      }
      positions.add(new double[] {p.lat(), p.lon(), v, heading});
      if (along >= line.lengthM()) break;
      if (v > 0) along = Math.min(line.lengthM(), along + (offset > 0 ? step / 2 : step));
      tick++;
    }
    long simDurationMs = (positions.size() - 1) * options.fixIntervalMs();
    long t0 = System.currentTimeMillis() - Math.round(simDurationMs * (1 - 1 / options.speedup()));
    List<JsonObject> fixes = new ArrayList<>();
    for (int k = 0; k < positions.size(); k++) {
      double[] q = positions.get(k);
      fixes.add(
          new JsonObject()
              .put("ts", t0 + k * options.fixIntervalMs())
              .put("lat", round(q[0], 7))
              .put("lon", round(q[1], 7))
              .put("acc", 5.0)
              .put("spd", round(q[2], 2))
              .put("hdg", Math.round(q[3]))
              .put("bat", round(0.92 - 0.002 * k, 3)));
    }
    return fixes;
  }

  /** Publishes the plan at its pace over one MQTT connection and waits for every PUBACK. */
  private void publish(Rider r, List<JsonObject> plan) throws Exception {
    MqttClientOptions o =
        new MqttClientOptions()
            .setClientId("simulator-" + r.username)
            .setUsername(r.username)
            .setPassword(r.token)
            .setCleanSession(true)
            .setAutoKeepAlive(true)
            .setMaxInflightQueue(100);
    o.setConnectTimeout(10_000);
    MqttClient client = MqttClient.create(vertx, o);
    String topic = "tracklane/v1/tasks/" + r.taskId + "/fixes";
    CompletableFuture<Void> rode = new CompletableFuture<>();
    client.publishCompletionHandler(
        id -> {
          if (r.acked.incrementAndGet() == plan.size()) rode.complete(null);
        });
    client.publishHandler(
        m -> log.accept(r.username + ": gateway refused fixes: " + m.payload().toString()));
    client.closeHandler(
        v -> rode.completeExceptionally(new IllegalStateException("MQTT connection closed")));
    await(client.connect(mqttPort, mqttHost));
    try {
      await(client.subscribe("tracklane/v1/tasks/" + r.taskId + "/errors", 0));
      long periodMs = Math.max(1, Math.round(options.fixIntervalMs() / options.speedup()));
      AtomicInteger next = new AtomicInteger();
      vertx.setPeriodic(
          1,
          periodMs,
          timer -> {
            int k = next.getAndIncrement();
            if (k >= plan.size() || closing || rode.isDone()) {
              vertx.cancelTimer(timer);
              return;
            }
            client
                .publish(
                    topic, Buffer.buffer(plan.get(k).encode()), MqttQoS.AT_LEAST_ONCE, false, false)
                .onSuccess(id -> r.published.incrementAndGet())
                .onFailure(rode::completeExceptionally);
          });
      long budgetMs = periodMs * plan.size() + 30_000;
      rode.get(Math.min(budgetMs, options.maxWall().toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "ride did not finish in time ("
              + r.acked.get()
              + "/"
              + plan.size()
              + " fixes acknowledged)");
    } finally {
      client.closeHandler(null);
      if (client.isConnected()) client.disconnect();
    }
  }

  // ---- API ----------------------------------------------------------------------------------

  private String login(String username, String password) throws Exception {
    HttpResponse<String> res =
        send(
            "POST",
            "/auth/login",
            null,
            new JsonObject().put("username", username).put("password", password));
    if (res.statusCode() != 200)
      throw new IllegalStateException(
          "login " + username + " → " + res.statusCode() + " " + res.body());
    return new JsonObject(res.body()).getString("accessToken");
  }

  /** A call that expects {@code status}; logs in again once if the token expired meanwhile. */
  private JsonObject call(String method, String path, Rider r, JsonObject body, int status)
      throws Exception {
    HttpResponse<String> res = send(method, path, r.token, body);
    if (res.statusCode() == 401) {
      r.token = login(r.username, r.password);
      res = send(method, path, r.token, body);
    }
    if (res.statusCode() != status) {
      throw new IllegalStateException(
          method + " " + path + " → " + res.statusCode() + " " + res.body());
    }
    return res.body().isEmpty() ? new JsonObject() : new JsonObject(res.body());
  }

  private HttpResponse<String> send(String method, String path, String token, JsonObject body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(apiUrl + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) b.header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  // ---- geometry -----------------------------------------------------------------------------

  private static final double M_PER_DEG_LAT = 111_195.0;

  /** Initial bearing from a to b, degrees clockwise from north (local flat approximation). */
  public static double bearing(GeoPoint a, GeoPoint b) {
    double dx = (b.lon() - a.lon()) * Math.cos(Math.toRadians(a.lat()));
    double dy = b.lat() - a.lat();
    double deg = Math.toDegrees(Math.atan2(dx, dy));
    return deg < 0 ? deg + 360 : deg;
  }

  /** The point {@code metres} to the left of {@code p} when heading {@code headingDeg}. */
  public static GeoPoint offsetLeft(GeoPoint p, double headingDeg, double metres) {
    double left = Math.toRadians(headingDeg - 90);
    double north = Math.cos(left) * metres;
    double east = Math.sin(left) * metres;
    return GeoPoint.of(
        p.lat() + north / M_PER_DEG_LAT,
        p.lon() + east / (M_PER_DEG_LAT * Math.cos(Math.toRadians(p.lat()))));
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  private static final class Rider {
    final int index;
    final String username;
    final String password;
    volatile String token;
    volatile String taskId;
    final AtomicInteger published = new AtomicInteger();
    final AtomicInteger acked = new AtomicInteger();

    Rider(int index, String username, String password) {
      this.index = index;
      this.username = username;
      this.password = password;
    }
  }
}
