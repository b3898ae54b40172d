package io.tracklane.loadtest.gatling;

import io.tracklane.backoffice.auth.Passwords;
import io.tracklane.localstack.DemoSeed;
import io.tracklane.localstack.LocalStack;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the three Gatling simulations against a fresh local stack (embedded Postgres, dynalite,
 * local-api, gateway), with pre-seeded riders and tasks, and reads Gatling's own statistics back.
 * Gatling's HTML reports stay in {@code <out>/gatling/}.
 */
public final class GatlingPhase {
  static final String RIDER_PASSWORD = "LoadTest-Rider-2026";

  /**
   * @param exitCode Gatling's status (0 = every assertion held)
   * @param problem the simulation's own verification ("" when it held)
   */
  public record SimulationResult(
      String simulation,
      int exitCode,
      long requests,
      long failed,
      double meanMs,
      double p95Ms,
      double p99Ms,
      double maxMs,
      String reportDir,
      String problem) {}

  private GatlingPhase() {}

  public static List<SimulationResult> run(
      Path out, int riders, Duration duration, Consumer<String> log) throws Exception {
    Path results = out.resolve("gatling").toAbsolutePath();
    Files.createDirectories(results);
    try (LocalStack stack = LocalStack.start(null, Map.of())) {
      String api = stack.apiUrl();
      String admin = stack.seeded.passwords().get("admin");
      String manager = stack.seeded.passwords().get("manager");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String adminToken =
          new JsonObject(
                  send(
                      http,
                      api,
                      "POST",
                      "/auth/login",
                      null,
                      new JsonObject().put("username", "admin").put("password", admin)))
              .getString("accessToken");

      int racers = Math.max(10, riders);
      int raceTasks = Math.max(5, racers / 5);
      log.accept(
          "gatling: seeding "
              + riders
              + " riders with a task each, "
              + racers
              + " racers for "
              + raceTasks
              + " tasks ...");
      String hash = Passwords.hash(RIDER_PASSWORD);
      List<String> fleetRows = new ArrayList<>(List.of("username,password,taskId"));
      List<String> racerRows = new ArrayList<>(List.of("username,password,taskId"));
      for (int i = 1; i <= riders; i++) {
        String u = "lt-rider-" + i;
        insertRider(stack, u, hash);
        fleetRows.add(
            u + "," + RIDER_PASSWORD + "," + createTask(http, api, adminToken, "fleet task " + i));
      }
      for (int i = 1; i <= racers; i++) {
        String u = "lt-racer-" + i;
        insertRider(stack, u, hash);
        racerRows.add(u + "," + RIDER_PASSWORD + ",");
      }
      List<String> race = new ArrayList<>();
      for (int i = 1; i <= raceTasks; i++)
        race.add(createTask(http, api, adminToken, "race task " + i));
      Path fleetCsv = results.resolve("riders.csv");
      Path racerCsv = results.resolve("racers.csv");
      Files.write(fleetCsv, fleetRows);
      Files.write(racerCsv, racerRows);

      System.setProperty("tracklane.apiUrl", api);
      System.setProperty("tracklane.gatewayUrl", "http://127.0.0.1:" + stack.gateway.httpPort());
      System.setProperty("tracklane.ridersFile", fleetCsv.toString());
      System.setProperty("tracklane.racersFile", racerCsv.toString());
      System.setProperty("tracklane.raceTasks", String.join(",", race));
      System.setProperty("tracklane.adminPassword", admin);
      System.setProperty("tracklane.managerPassword", manager);
      System.setProperty("durationSeconds", Long.toString(duration.toSeconds()));
      System.setProperty("rampSeconds", Long.toString(Math.min(10, duration.toSeconds() / 3)));

      List<SimulationResult> out2 = new ArrayList<>();
      System.setProperty("riders", Integer.toString(riders));
      out2.add(simulate(RiderFleetHttpSimulation.class, results, "", log));
      System.setProperty("riders", Integer.toString(racers));
      out2.add(simulate(ClaimRaceSimulation.class, results, ClaimRaceSimulation.lastProblem, log));
      out2.set(1, withProblem(out2.get(1), ClaimRaceSimulation.lastProblem));
      System.setProperty("riders", Integer.toString(Math.max(5, riders / 5)));
      out2.add(simulate(BackOfficeSimulation.class, results, "", log));
      return out2;
    }
  }

  private static SimulationResult withProblem(SimulationResult r, String problem) {
    return new SimulationResult(
        r.simulation(),
        r.exitCode(),
        r.requests(),
        r.failed(),
        r.meanMs(),
        r.p95Ms(),
        r.p99Ms(),
        r.maxMs(),
        r.reportDir(),
        problem);
  }

  private static SimulationResult simulate(
      Class<?> simulation, Path results, String problem, Consumer<String> log) throws IOException {
    log.accept("gatling: " + simulation.getSimpleName() + " ...");
    long before = System.currentTimeMillis();
    int code =
        io.gatling.app.Gatling$.MODULE$.fromArgs(
            new String[] {
              "--simulation", simulation.getName(),
              "--results-folder", results.toString(),
              "--run-description", "Tracklane load test"
            });
    Path dir;
    try (Stream<Path> dirs = Files.list(results)) {
      dir =
          dirs.filter(Files::isDirectory)
              .filter(
                  d ->
                      d.getFileName()
                          .toString()
                          .toLowerCase()
                          .startsWith(simulation.getSimpleName().toLowerCase()))
              .filter(d -> d.toFile().lastModified() >= before - 1000)
              .max(Comparator.comparingLong(d -> d.toFile().lastModified()))
              .orElse(null);
    }
    JsonObject stats = dir == null ? null : globalStats(dir);
    SimulationResult r =
        stats == null
            ? new SimulationResult(
                simulation.getSimpleName(),
                code,
                0,
                0,
                0,
                0,
                0,
                0,
                String.valueOf(dir),
                "no Gatling statistics found")
            : new SimulationResult(
                simulation.getSimpleName(),
                code,
                stats.getDouble("total").longValue(),
                stats.getDouble("ko").longValue(),
                stats.getDouble("mean"),
                stats.getDouble("p95"),
                stats.getDouble("p99"),
                stats.getDouble("max"),
                dir.toString(),
                problem);
    log.accept(
        String.format(
            "  %s: exit %d, %d requests, %d failed, mean %.0f ms, p99 %.0f ms",
            r.simulation(), r.exitCode(), r.requests(), r.failed(), r.meanMs(), r.p99Ms()));
    return r;
  }

  /**
   * The "All Requests" row of a Gatling HTML report ({@code index.html}; Gatling 3.15 writes no
   * JSON statistics): total, KO, 95th and 99th percentile, max and mean, in the report's column
   * order.
   */
  static JsonObject globalStats(Path reportDir) throws IOException {
    Path f = reportDir.resolve("index.html");
    if (!Files.exists(f)) return null;
    String html = Files.readString(f);
    int row = html.indexOf("<tr id=\"ROOT\"");
    if (row < 0) return null;
    String root = html.substring(row, html.indexOf("</tr>", row));
    JsonObject o = new JsonObject();
    String[][] cols = {
      {"total", "2"}, {"ko", "4"}, {"p95", "10"}, {"p99", "11"}, {"max", "12"}, {"mean", "13"}
    };
    for (String[] c : cols) {
      Matcher m = Pattern.compile("class=\"value [a-z ]*col-" + c[1] + "\">([^<]*)<").matcher(root);
      if (!m.find()) return null;
      String v = m.group(1).trim();
      o.put(c[0], v.equals("-") || v.isEmpty() ? 0.0 : Double.parseDouble(v.replace(",", "")));
    }
    return o;
  }

  private static void insertRider(LocalStack stack, String username, String hash) {
    stack
        .backoffice
        .db()
        .update(
            "INSERT INTO users (username, display_name, role, "
                + "password_hash) VALUES ($1, $1, 'rider', $2)",
            username,
            hash);
  }

  private static String createTask(HttpClient http, String api, String token, String title)
      throws Exception {
    Instant now = Instant.now();
    JsonObject body =
        new JsonObject()
            .put("routeId", DemoSeed.DEMO_ROUTE_ID)
            .put("title", title)
            .put("bonusAmount", "5.00")
            .put("bonusCurrency", "CNY")
            .put("windowStart", now.minusSeconds(60).toString())
            .put("windowEnd", now.plusSeconds(3 * 3600).toString());
    return new JsonObject(send(http, api, "POST", "/tasks", token, body)).getString("id");
  }

  static String send(
      HttpClient http, String api, String method, String path, String token, JsonObject body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()))
            .header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2)
      throw new IllegalStateException(
          method + " " + path + " → " + r.statusCode() + " " + r.body());
    return r.body();
  }
}
