package io.tracklane.loadtest;

import io.tracklane.devkit.Dynalite;
import io.tracklane.devkit.LocalPostgres;
import io.tracklane.gateway.Gateway;
import io.tracklane.gateway.config.GatewaySettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Offer fan-out latency: from the commit of a task's INSERT in Postgres to its {@code offer}
 * arriving at every subscribed MQTT rider.
 *
 * <p>Starts a throwaway embedded Postgres with the back office's migrations (so the tasks trigger
 * announces each INSERT), dynalite, and a gateway in this JVM on that Postgres. Connects {@code
 * bench.riders} (1,000) Vert.x MQTT clients, many per event loop ({@code bench.clientLoops}, 2),
 * each subscribed to {@code tracklane/v1/offers} at {@code bench.qos} (1). Then creates {@code
 * bench.tasks} (50) tasks one at a time, {@code bench.intervalMs} (200) apart, each as the tasks
 * API does (INSERT and its audit event in one transaction), and takes the time right after {@code
 * commit()} returns. Every rider's receipt time of each task's offer is recorded; the latency is
 * receipt − commit. Prints p50/p99/max and the count delivered, which must equal riders × tasks
 * (exit 1 otherwise). Target p99 ≤ 200 ms (reported, not enforced).
 *
 * <pre>
 * mvn -B -q -pl loadtest exec:java@offers [-Dbench.riders=1000 -Dbench.tasks=50 ...]
 * </pre>
 */
public final class OfferFanoutBenchmark {
  static final String OFFERS = "tracklane/v1/offers";
  static final long TARGET_P99_MS = 200;

  private OfferFanoutBenchmark() {}

  public static void main(String[] args) throws Exception {
    int riders = Integer.getInteger("bench.riders", 1000);
    int tasks = Integer.getInteger("bench.tasks", 50);
    long intervalMs = Long.getLong("bench.intervalMs", 200);
    int qos = Integer.getInteger("bench.qos", 1);
    int loops = Integer.getInteger("bench.clientLoops", 2);
    int code = run(riders, tasks, intervalMs, qos, loops);
    if (code != 0) System.exit(code);
  }

  static int run(int riders, int tasks, long intervalMs, int qos, int loops) throws Exception {
    long t0 = System.nanoTime();
    try (LocalPostgres pg = LocalPostgres.start();
        Dynalite dynalite = Dynalite.start();
        GatewayUnderTest gw = new GatewayUnderTest()) {
      String url = pg.createDatabase("offers_bench");
      String jdbc = "jdbc:postgresql://127.0.0.1:" + pg.port() + "/offers_bench?sslmode=require";
      String routeId;
      try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
        migrate(c);
        routeId = seed(c, riders);
      }
      String table = "offers-bench";
      try (var ddb = Dynamo.client(dynalite.endpoint(), 4)) {
        gw.ensureTable(ddb, table);
      }
      Map<String, String> settings =
          gw.settings(dynalite.endpoint(), table, Map.of(GatewaySettings.PG_URL.env(), url));
      Gateway gateway = gw.startOnPostgres(settings);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!gateway.offersListening() && System.nanoTime() < until) Thread.sleep(20);
      if (!gateway.offersListening()) throw new IllegalStateException("gateway not listening");
      System.out.printf(
          Locale.ROOT,
          "setup:   embedded Postgres (migrated), dynalite, gateway in %.1f s%n",
          (System.nanoTime() - t0) / 1e9);

      Vertx clients = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
      try {
        long[][] receivedAt = new long[tasks][riders];
        for (long[] row : receivedAt) Arrays.fill(row, -1);
        Map<String, Integer> taskIndex = new ConcurrentHashMap<>();
        AtomicLong delivered = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        CountDownLatch snapshots = new CountDownLatch(riders);
        long connectStart = System.nanoTime();
        List<Future<MqttClient>> connected = new ArrayList<>();
        for (int i = 0; i < riders; i++) {
          int rider = i;
          String riderId = "rider-" + (i + 1);
          String token = gw.token(riderId);
          Context ctx = clients.getOrCreateContext();
          Promise<MqttClient> p = Promise.promise();
          ctx.runOnContext(
              v -> {
                MqttClient c =
                    MqttClient.create(
                        clients,
                        new MqttClientOptions()
                            .setClientId("offers-bench-" + riderId)
                            .setUsername(riderId)
                            .setPassword(token)
                            .setCleanSession(true)
                            .setAutoKeepAlive(true));
                c.publishHandler(
                    m -> {
                      long now = System.nanoTime();
                      JsonObject e = new JsonObject(m.payload());
                      String kind = e.getString("event");
                      if ("snapshot_complete".equals(kind)) {
                        snapshots.countDown();
                      } else if ("offer".equals(kind)) {
                        Integer t = taskIndex.get(e.getString("taskId"));
                        if (t == null) return;
                        if (receivedAt[t][rider] >= 0) {
                          duplicates.incrementAndGet();
                        } else {
                          receivedAt[t][rider] = now;
                          delivered.incrementAndGet();
                        }
                      }
                    });
                c.connect(gw.mqttPort(), "127.0.0.1")
                    .compose(ack -> c.subscribe(OFFERS, qos))
                    .map(id -> c)
                    .onComplete(p);
              });
          connected.add(p.future());
          // connect in waves so the gateway's CONNECT checks are not all queued at once
          if (i % 100 == 99) Future.all(connected).await(60, TimeUnit.SECONDS);
        }
        Future.all(connected).await(60, TimeUnit.SECONDS);
        if (!snapshots.await(60, TimeUnit.SECONDS))
          throw new IllegalStateException(snapshots.getCount() + " riders got no snapshot");
        System.out.printf(
            Locale.ROOT,
            "riders:  %d MQTT riders connected and subscribed (QoS %d, %d client event loops) in %.1f s%n",
            riders,
            qos,
            loops,
            (System.nanoTime() - connectStart) / 1e9);

        long[] committedAt = new long[tasks];
        long[] commitCallNanos = new long[tasks];
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
          c.setAutoCommit(false);
          PreparedStatement task =
              c.prepareStatement(
                  "INSERT INTO tasks (id, route_id, title, bonus_amount, bonus_currency, "
                      + "window_start, window_end) VALUES (?, ?, ?, ?, 'CNY', ?, ?)");
          PreparedStatement event =
              c.prepareStatement(
                  "INSERT INTO task_events (task_id, type, from_status, to_status) "
                      + "VALUES (?, 'created', NULL, 'open')");
          for (int t = 0; t < tasks; t++) {
            String id = "bench-" + t + "-" + UUID.randomUUID().toString().substring(0, 8);
            taskIndex.put(id, t);
            Instant now = Instant.now();
            task.setString(1, id);
            task.setString(2, routeId);
            task.setString(3, "Benchmark task " + t);
            task.setBigDecimal(4, new BigDecimal("12.50"));
            task.setTimestamp(5, Timestamp.from(now));
            task.setTimestamp(6, Timestamp.from(now.plus(Duration.ofHours(2))));
            task.executeUpdate();
            event.setString(1, id);
            event.executeUpdate();
            long before = System.nanoTime();
            c.commit();
            committedAt[t] = System.nanoTime();
            commitCallNanos[t] = committedAt[t] - before;
            Thread.sleep(intervalMs);
          }
        }
        long expected = (long) riders * tasks;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (delivered.get() < expected && System.nanoTime() < deadline) Thread.sleep(20);
        Thread.sleep(500); // late duplicates, if any, would show now

        long[] latencies = new long[(int) delivered.get()];
        int n = 0;
        long early = 0;
        for (int t = 0; t < tasks; t++) {
          for (int r = 0; r < riders; r++) {
            long at = receivedAt[t][r];
            if (at < 0 || n == latencies.length) continue;
            long l = at - committedAt[t];
            if (l < 0) {
              early++;
              l = 0;
            }
            latencies[n++] = l;
          }
        }
        latencies = Arrays.copyOf(latencies, n);
        // the conservative reading: from the moment commit() was called (includes the commit)
        long[] fromCall = new long[n];
        int m = 0;
        for (int t = 0; t < tasks; t++) {
          for (int r = 0; r < riders; r++) {
            long at = receivedAt[t][r];
            if (at >= 0 && m < n) fromCall[m++] = at - (committedAt[t] - commitCallNanos[t]);
          }
        }
        Arrays.sort(fromCall);
        Arrays.sort(latencies);
        double p50 = pct(latencies, 0.50);
        double p99 = pct(latencies, 0.99);
        double max = latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1] / 1e6;
        System.out.printf(
            Locale.ROOT,
            "offers:  %d tasks, one every %d ms, to %d riders%n",
            tasks,
            intervalMs,
            riders);
        System.out.printf(
            Locale.ROOT,
            "latency: commit -> rider  p50 %.1f ms  p99 %.1f ms  max %.1f ms  (target p99 <= %d ms: %s)%n",
            p50,
            p99,
            max,
            TARGET_P99_MS,
            p99 <= TARGET_P99_MS ? "met" : "MISSED");
        System.out.printf(
            Locale.ROOT,
            "         commit() called -> rider  p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
            pct(fromCall, 0.50),
            pct(fromCall, 0.99),
            fromCall.length == 0 ? Double.NaN : fromCall[fromCall.length - 1] / 1e6);
        System.out.printf(
            Locale.ROOT,
            "count:   delivered %d of %d expected (riders x tasks), duplicates %d%s%n",
            delivered.get(),
            expected,
            duplicates.get(),
            early > 0
                ? ", " + early + " receipts timed before commit() returned (counted as 0)"
                : "");
        long[] commitCalls = commitCallNanos.clone();
        Arrays.sort(commitCalls);
        System.out.printf(
            Locale.ROOT,
            "commit:  the commit() call itself took p50 %.1f ms, max %.1f ms (the NOTIFY leaves during it)%n",
            pct(commitCalls, 0.50),
            commitCalls[commitCalls.length - 1] / 1e6);
        System.out.printf(
            Locale.ROOT,
            "gateway: offers delivered (metric) %.0f, dropped %.0f%n",
            gw.registry.find("tracklane.offers.events.delivered").counters().stream()
                .mapToDouble(x -> x.count())
                .sum(),
            gw.registry.find("tracklane.offers.events.dropped").counters().stream()
                .mapToDouble(x -> x.count())
                .sum());
        return delivered.get() == expected && duplicates.get() == 0 ? 0 : 1;
      } finally {
        clients.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  private static double pct(long[] sorted, double q) {
    if (sorted.length == 0) return Double.NaN;
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  /** The back office's migrations from the classpath (backoffice common), in index order. */
  static void migrate(Connection c) throws SQLException, IOException {
    try (Statement st = c.createStatement()) {
      for (String line : resource("db/migration/index.txt").split("\n")) {
        String file = line.trim();
        if (file.isEmpty() || file.startsWith("#")) continue;
        st.execute(resource("db/migration/" + file));
      }
    }
  }

  /** The riders (active users) and one route; answers the route's id. */
  static String seed(Connection c, int riders) throws SQLException {
    try (PreparedStatement u =
        c.prepareStatement(
            "INSERT INTO users (id, username, display_name, role, password_hash) "
                + "SELECT 'rider-' || i, 'rider-' || i, 'Rider ' || i, 'rider', 'x' "
                + "FROM generate_series(1, ?) AS i")) {
      u.setInt(1, riders);
      u.executeUpdate();
    }
    try (Statement st = c.createStatement();
        var rs =
            st.executeQuery(
                "INSERT INTO routes (lineage_id, name, geometry, checkpoints, length_m) VALUES "
                    + "('bench', 'Bund loop', '{\"type\":\"LineString\",\"coordinates\":"
                    + "[[121.47,31.23],[121.48,31.23]]}', '[]', 952) RETURNING id")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = OfferFanoutBenchmark.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) throw new IOException("missing classpath resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
