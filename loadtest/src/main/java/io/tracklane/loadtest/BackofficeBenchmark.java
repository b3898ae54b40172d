package io.tracklane.loadtest;

import io.tracklane.backoffice.auth.AuthHandler;
import io.tracklane.backoffice.auth.AuthorizerHandler;
import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.receipts.ReceiptSettings;
import io.tracklane.backoffice.receipts.ReceiptsHandler;
import io.tracklane.backoffice.reports.ReportSettings;
import io.tracklane.backoffice.reports.ReportsHandler;
import io.tracklane.backoffice.routes.RoutesHandler;
import io.tracklane.backoffice.tasks.TaskExpiryHandler;
import io.tracklane.backoffice.tasks.TasksHandler;
import io.tracklane.core.config.Setting;
import io.tracklane.devkit.DevSigningKeys;
import io.tracklane.loadtest.BackofficeLatencyLoad.Call;
import io.tracklane.loadtest.BackofficeLatencyLoad.Op;
import io.tracklane.localstack.DemoSeed;
import io.tracklane.localstack.LocalStack;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * The back office's latency budget, in one run on one machine:
 *
 * <ol>
 *   <li>starts a throwaway {@link LocalStack} (embedded Postgres migrated and seeded, dynalite,
 *       local-api hosting every handler behind the real authorizer, the gateway);
 *   <li>warm latency of local-api: a read mix (rider: {@code GET /tasks}, {@code GET /tasks/{id}},
 *       {@code GET /me}; admin: {@code GET /routes}, {@code GET /routes/{id}}, {@code GET /me})
 *       from one caller and from several concurrent callers, after a warm-up; p50/p99/max per
 *       operation and overall against p50 ≤ 5 ms and p99 ≤ 20 ms. {@code POST /auth/login} is
 *       measured on its own: bcrypt (cost 10) makes it slow by design;
 *   <li>cold start of each Lambda handler in a fresh JVM ({@link ColdStartProbe}): init (the no-arg
 *       constructor, {@code BackofficeContext.fromEnv()}) and the first invocation with a realistic
 *       event, median of several runs, against init + first ≤ 1500 ms.
 * </ol>
 *
 * <p>System properties: {@code bench.requests} (measured requests per phase, 5000), {@code
 * bench.warmup} (2000), {@code bench.callers} (concurrent callers, 4), {@code bench.logins}
 * (measured logins per phase, 100), {@code bench.loginWarmup} (10), {@code bench.coldRuns} (probe
 * runs per handler, 3), {@code bench.probeJvmArgs} (options for the probe JVMs, space-separated,
 * e.g. {@code -XX:TieredStopAtLevel=1}). A missed target is reported, not an error; the exit code
 * is 1 only if a request got an unexpected status or a probe failed.
 */
public final class BackofficeBenchmark {
  static final double TARGET_P50_MS = 5;
  static final double TARGET_P99_MS = 20;
  static final double TARGET_COLD_MS = 1500;

  static final List<Class<?>> HANDLERS =
      List.of(
          AuthHandler.class,
          AuthorizerHandler.class,
          RoutesHandler.class,
          TasksHandler.class,
          TaskExpiryHandler.class,
          ReceiptsHandler.class,
          ReportsHandler.class);

  private BackofficeBenchmark() {}

  record Params(
      int requests,
      int warmup,
      int callers,
      int logins,
      int loginWarmup,
      int coldRuns,
      List<String> probeJvmArgs) {
    static Params fromSystemProperties() {
      String jvmArgs = System.getProperty("bench.probeJvmArgs", "").trim();
      return new Params(
          intProp("bench.requests", 5000, 1),
          intProp("bench.warmup", 2000, 0),
          intProp("bench.callers", 4, 1),
          intProp("bench.logins", 100, 1),
          intProp("bench.loginWarmup", 10, 0),
          intProp("bench.coldRuns", 3, 1),
          jvmArgs.isEmpty() ? List.of() : Arrays.asList(jvmArgs.split("\\s+")));
    }
  }

  public static void main(String[] args) throws Exception {
    int code = run(Params.fromSystemProperties());
    System.out.flush();
    // Library threads (the JDK HttpClient, Vert.x, Netty) must not keep the JVM alive.
    System.exit(code);
  }

  static int run(Params p) throws Exception {
    System.out.println("Tracklane back-office benchmark");
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, %s %s, max heap %d MiB, %s %s %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("os.arch"));
    System.out.println(
        "load:    1-min load average "
            + load()
            + " before start (other processes share these cores and the"
            + " stack, the client and the probes share this machine)");
    long t0 = System.nanoTime();
    LocalStack stack = LocalStack.start(null, Map.of());
    System.out.printf(
        Locale.ROOT,
        "stack:   throwaway LocalStack up in %.1f s (embedded Postgres, dynalite, local-api %s, gateway)%n",
        (System.nanoTime() - t0) / 1e9,
        stack.apiUrl());
    try {
      return run(p, stack);
    } finally {
      stack.close();
    }
  }

  private static int run(Params p, LocalStack stack) throws Exception {
    String api = stack.apiUrl();
    Map<String, String> passwords = stack.seeded.passwords();
    String rider = DemoSeed.RIDERS.get(0);
    BackofficeLatencyLoad load = new BackofficeLatencyLoad();
    String adminToken = login(load, api, "admin", passwords.get("admin"));
    String riderToken = login(load, api, rider, passwords.get(rider));

    // ---- warm latency -----------------------------------------------------------------------
    List<Call> calls = new ArrayList<>();
    List<String> taskIds = stack.seeded.openTaskIds();
    if (taskIds.isEmpty()) throw new IllegalStateException("the demo seed has no open task");
    for (int i = 0; i < 6; i++)
      calls.add(new Call(Op.TASKS, BackofficeLatencyLoad.get(api, "/tasks", riderToken), 200));
    for (int i = 0; i < 5; i++) {
      calls.add(
          new Call(
              Op.TASK,
              BackofficeLatencyLoad.get(
                  api, "/tasks/" + taskIds.get(i % taskIds.size()), riderToken),
              200));
    }
    calls.add(new Call(Op.ME, BackofficeLatencyLoad.get(api, "/me", riderToken), 200));
    calls.add(new Call(Op.ME, BackofficeLatencyLoad.get(api, "/me", riderToken), 200));
    calls.add(new Call(Op.ME, BackofficeLatencyLoad.get(api, "/me", adminToken), 200));
    for (int i = 0; i < 3; i++)
      calls.add(new Call(Op.ROUTES, BackofficeLatencyLoad.get(api, "/routes", adminToken), 200));
    for (int i = 0; i < 3; i++) {
      calls.add(
          new Call(
              Op.ROUTE,
              BackofficeLatencyLoad.get(api, "/routes/" + stack.seeded.routeId(), adminToken),
              200));
    }
    List<Call> mix = BackofficeLatencyLoad.shuffled(calls, 42);

    List<Call> loginCalls = new ArrayList<>();
    for (String user : passwords.keySet()) {
      String body =
          new JsonObject().put("username", user).put("password", passwords.get(user)).encode();
      loginCalls.add(
          new Call(Op.LOGIN, BackofficeLatencyLoad.postJson(api, "/auth/login", body), 200));
    }

    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "== warm latency: local-api %s, JDK HttpClient HTTP/1.1 keep-alive, closed loop ==%n",
        api);
    System.out.printf(
        Locale.ROOT,
        "mix per %d requests: %s; %d measured after %d warm-up, per phase%n",
        calls.size(),
        mixDescription(calls),
        p.requests(),
        p.warmup());

    BackofficeLatencyLoad.Result seq = load.run(mix, 1, p.warmup(), p.requests());
    BackofficeLatencyLoad.Result conc = load.run(mix, p.callers(), p.warmup(), p.requests());
    BackofficeLatencyLoad.Result loginSeq = load.run(loginCalls, 1, p.loginWarmup(), p.logins());
    BackofficeLatencyLoad.Result loginConc =
        load.run(loginCalls, p.callers(), p.loginWarmup(), p.logins());
    printLatency(seq, conc, loginSeq, loginConc);

    // ---- cold start ---------------------------------------------------------------------------
    BackofficeConfig config = stack.backoffice.config();
    String signingKey = stack.keys.privateJwk().encode();
    // Minted here, not in the probe: minting there would load and warm the JWT code before the
    // measured init.
    String probeToken =
        DevSigningKeys.fromPrivateJwk(new JsonObject(signingKey))
            .minter(
                config.get(BackofficeSettings.JWT_ISSUER),
                config.get(BackofficeSettings.JWT_AUDIENCE))
            .mint(stack.seeded.userIds().get("admin"), "admin", Duration.ofMinutes(30));
    Map<String, String> env = new LinkedHashMap<>();
    env.put(BackofficeSettings.PG_URL.env(), stack.postgres.url("postgres"));
    env.put(BackofficeSettings.SIGNING_KEY.env(), signingKey);
    env.put(BackofficeSettings.DYNAMODB_ENDPOINT.env(), stack.dynalite.endpoint());
    env.put(BackofficeSettings.FIXES_TABLE.env(), config.get(BackofficeSettings.FIXES_TABLE));
    // receipts and reports: the local stack's S3 (buckets, endpoint, keys) as the stack gives them
    for (Setting<?> key :
        List.of(
            ReceiptSettings.BUCKET,
            ReportSettings.BUCKET,
            BackofficeSettings.S3_ENDPOINT,
            BackofficeSettings.S3_ACCESS_KEY,
            BackofficeSettings.S3_SECRET_KEY)) {
      env.put(key.env(), config.get(key).toString());
    }
    env.put(ColdStartProbe.ADMIN_ID_ENV, stack.seeded.userIds().get("admin"));
    env.put(ColdStartProbe.RIDER_ID_ENV, stack.seeded.userIds().get(rider));
    env.put(ColdStartProbe.TOKEN_ENV, probeToken);
    ColdStartRunner runner = new ColdStartRunner(env, p.probeJvmArgs());

    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "== cold start per handler: fresh JVM each (%s%s), median of %d runs ==%n",
        System.getProperty("java.home") + "/bin/java",
        runner.jvmArgs().isEmpty() ? ", default options" : " " + String.join(" ", runner.jvmArgs()),
        p.coldRuns());
    System.out.println(
        "first invocation: AuthHandler GET /.well-known/jwks.json; AuthorizerHandler TOKEN for GET /tasks;"
            + " RoutesHandler GET /routes as admin; TasksHandler GET /tasks as rider; TaskExpiryHandler scheduled sweep;"
            + " ReceiptsHandler GET /receipts and ReportsHandler GET /reports as admin");
    Map<String, List<ColdStartRunner.Run>> runs = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    for (int r = 0; r < p.coldRuns(); r++) {
      for (Class<?> h : HANDLERS) {
        try {
          runs.computeIfAbsent(h.getSimpleName(), k -> new ArrayList<>())
              .add(runner.run(h.getName()));
        } catch (IllegalStateException e) {
          failures.add(e.getMessage());
        }
      }
    }
    int coldMisses = printColdStarts(runs);
    for (String f : failures) System.out.println("PROBE FAILED: " + f);

    // ---- summary ------------------------------------------------------------------------------
    long errors = seq.errors + conc.errors + loginSeq.errors + loginConc.errors;
    System.out.println();
    System.out.println("== summary ==");
    System.out.printf(
        Locale.ROOT,
        "warm, 1 caller:   p50 %s ms, p99 %s ms, %.0f req/s  %s%n",
        ms(seq.all, 50),
        ms(seq.all, 99),
        seq.perSecond(),
        verdict(seq.all));
    System.out.printf(
        Locale.ROOT,
        "warm, %d callers:  p50 %s ms, p99 %s ms, %.0f req/s  %s%n",
        conc.callers,
        ms(conc.all, 50),
        ms(conc.all, 99),
        conc.perSecond(),
        verdict(conc.all));
    System.out.printf(
        Locale.ROOT,
        "login (bcrypt 10): p50 %s ms (1 caller), %s ms (%d callers); not held to the targets%n",
        ms(loginSeq.all, 50),
        ms(loginConc.all, 50),
        loginConc.callers);
    System.out.printf(
        Locale.ROOT,
        "cold start:       %d of %d handlers within init+first <= %.0f ms%n",
        runs.size() - coldMisses,
        HANDLERS.size(),
        TARGET_COLD_MS);
    System.out.printf(
        Locale.ROOT,
        "errors:           %d unexpected statuses, %d failed probes; 1-min load average now %s%n",
        errors,
        failures.size(),
        load());
    for (BackofficeLatencyLoad.Result r : List.of(seq, conc, loginSeq, loginConc)) {
      for (String s : r.errorSamples) System.out.println("  " + s);
    }
    return errors == 0 && failures.isEmpty() ? 0 : 1;
  }

  private static String login(BackofficeLatencyLoad load, String api, String user, String password)
      throws Exception {
    String body = new JsonObject().put("username", user).put("password", password).encode();
    JsonObject answer =
        new JsonObject(load.call(BackofficeLatencyLoad.postJson(api, "/auth/login", body), 200));
    String token = answer.getString("accessToken");
    if (token == null)
      throw new IllegalStateException("login of " + user + " returned no access token");
    return token;
  }

  private static String mixDescription(List<Call> calls) {
    Map<Op, Long> counts =
        calls.stream()
            .collect(Collectors.groupingBy(Call::op, LinkedHashMap::new, Collectors.counting()));
    return counts.entrySet().stream()
        .map(e -> e.getKey().label + " x" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  // ---- report ---------------------------------------------------------------------------------

  private static void printLatency(
      BackofficeLatencyLoad.Result seq,
      BackofficeLatencyLoad.Result conc,
      BackofficeLatencyLoad.Result loginSeq,
      BackofficeLatencyLoad.Result loginConc) {
    String head = "%-34s | %-36s | %-36s%n";
    System.out.printf(
        Locale.ROOT, head, "", "sequential, 1 caller", conc.callers + " concurrent callers");
    System.out.printf(
        Locale.ROOT,
        head,
        "operation (as)",
        columns("n", "p50 ms", "p99 ms", "max ms"),
        columns("n", "p50 ms", "p99 ms", "max ms"));
    for (Op op : Op.values()) {
      if (op == Op.LOGIN) continue;
      System.out.printf(
          Locale.ROOT,
          head,
          op.label + " (" + op.as + ")",
          row(seq.byOp.get(op)),
          row(conc.byOp.get(op)));
    }
    System.out.printf(Locale.ROOT, head, "all, excluding login", row(seq.all), row(conc.all));
    System.out.printf(
        Locale.ROOT,
        head,
        "  requests/s",
        String.format(Locale.ROOT, "%8.0f", seq.perSecond()),
        String.format(Locale.ROOT, "%8.0f", conc.perSecond()));
    System.out.printf(
        Locale.ROOT,
        head,
        String.format(
            Locale.ROOT, "  target p50 <= %.0f ms, p99 <= %.0f ms", TARGET_P50_MS, TARGET_P99_MS),
        "   " + verdict(seq.all),
        "   " + verdict(conc.all));
    System.out.printf(Locale.ROOT, head, "  GC while measuring", gc(seq), gc(conc));
    System.out.printf(
        Locale.ROOT,
        head,
        "POST /auth/login (bcrypt cost 10)",
        row(loginSeq.all),
        row(loginConc.all));
    System.out.printf(
        Locale.ROOT,
        head,
        "  logins/s",
        String.format(Locale.ROOT, "%8.1f", loginSeq.perSecond()),
        String.format(Locale.ROOT, "%8.1f", loginConc.perSecond()));
  }

  private static String gc(BackofficeLatencyLoad.Result r) {
    return String.format(Locale.ROOT, "%8d collections, %d ms in total", r.gcCount, r.gcMillis);
  }

  private static String load() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
  }

  private static String columns(String n, String a, String b, String c) {
    return String.format(Locale.ROOT, "%8s %9s %9s %9s", n, a, b, c);
  }

  private static String row(Histogram h) {
    if (h == null || h.getTotalCount() == 0) return columns("0", "-", "-", "-");
    return columns(Long.toString(h.getTotalCount()), ms(h, 50), ms(h, 99), msOf(h.getMaxValue()));
  }

  /** A percentile in ms with µs precision (the histogram records µs). */
  private static String ms(Histogram h, double percentile) {
    return msOf(h.getValueAtPercentile(percentile));
  }

  private static String msOf(long micros) {
    return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
  }

  private static String verdict(Histogram h) {
    boolean p50 = h.getValueAtPercentile(50) / 1000.0 <= TARGET_P50_MS;
    boolean p99 = h.getValueAtPercentile(99) / 1000.0 <= TARGET_P99_MS;
    return p50 && p99
        ? "PASS"
        : "MISS (" + (p50 ? "" : "p50") + (p50 || p99 ? "" : ", ") + (p99 ? "" : "p99") + ")";
  }

  /**
   * Prints the table; the number of handlers whose median init + first invocation misses the
   * target.
   */
  private static int printColdStarts(Map<String, List<ColdStartRunner.Run>> runs) {
    String fmt = "%-18s %8s %9s %11s %8s %10s %10s %10s %11s  %-17s %s%n";
    System.out.printf(
        Locale.ROOT,
        fmt,
        "handler",
        "init ms",
        "first ms",
        "init+first",
        "2nd ms",
        "JVM->main",
        "JVM->done",
        "CPU->done",
        "spawn->done",
        "init+first, runs",
        "target <= " + (int) TARGET_COLD_MS + " ms");
    int misses = 0;
    for (var e : runs.entrySet()) {
      List<ColdStartRunner.Run> rs = e.getValue();
      double initPlusFirst = median(rs, ColdStartRunner.Run::initPlusFirstMs);
      boolean ok = initPlusFirst <= TARGET_COLD_MS;
      if (!ok) misses++;
      System.out.printf(
          Locale.ROOT,
          fmt,
          e.getKey(),
          f1(median(rs, ColdStartRunner.Run::initMs)),
          f1(median(rs, ColdStartRunner.Run::firstInvokeMs)),
          f1(initPlusFirst),
          f1(median(rs, ColdStartRunner.Run::secondInvokeMs)),
          f0(median(rs, ColdStartRunner.Run::jvmStartToMainMs)),
          f0(median(rs, ColdStartRunner.Run::totalMs)),
          f0(median(rs, ColdStartRunner.Run::cpuToDoneMs)),
          f0(median(rs, ColdStartRunner.Run::spawnToResultMs)),
          rs.stream().map(r -> f0(r.initPlusFirstMs())).collect(Collectors.joining("/")),
          ok ? "PASS" : "MISS");
    }
    System.out.println(
        "(each column is its own median. JVM->main, JVM->done: from the JVM's recorded start time to main and to"
            + " the end of the first invocation;\n 2nd ms: the same invocation once more; CPU->done: CPU time of the probe process"
            + " (all threads) up to the end of the first invocation,\n hardly affected by other load; spawn->done: from starting"
            + " the process to reading its result)");
    return misses;
  }

  private static double median(
      List<ColdStartRunner.Run> runs, ToDoubleFunction<ColdStartRunner.Run> f) {
    return ColdStartRunner.median(runs.stream().mapToDouble(f).toArray());
  }

  private static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String f0(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static int intProp(String name, int def, int min) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) return def;
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be an integer, got '" + v + "'");
    }
    if (n < min)
      throw new IllegalArgumentException("-D" + name + " must be >= " + min + ", got " + n);
    return n;
  }
}
