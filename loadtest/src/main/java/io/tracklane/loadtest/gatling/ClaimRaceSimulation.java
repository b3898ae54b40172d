package io.tracklane.loadtest.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Many riders race for a batch of open tasks: all log in, then all claim every task in their own
 * random order at once (200 = won, 409 = lost; anything else fails). Afterwards the simulation
 * checks through the API that every task has exactly one winner: one "claimed" event, claimed by
 * one rider, and no rider holds more tasks than allowed.
 */
public class ClaimRaceSimulation extends Simulation {
  /** The last run's verification, for the launcher's report ("" when it held). */
  public static volatile String lastProblem = "not run";

  public static volatile int lastTasksChecked;

  static final List<String> TASKS =
      Arrays.stream(SimulationParams.raceTasks().split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .toList();

  HttpProtocolBuilder protocol =
      http.disableCaching()
          .contentTypeHeader("application/json")
          .acceptHeader("application/json")
          .shareConnections();

  ScenarioBuilder racer =
      scenario("racer")
          .feed(csv(SimulationParams.racersFile()).queue())
          .exec(
              http("login")
                  .post(SimulationParams.apiUrl() + "/auth/login")
                  .body(StringBody(SimulationParams.loginBody()))
                  .check(status().is(200), jsonPath("$.accessToken").saveAs("token")))
          .exec(
              session -> {
                List<String> order = new ArrayList<>(TASKS);
                Collections.shuffle(order);
                return session.set("order", order);
              })
          .foreach("#{order}", "task")
          .on(
              exec(
                  http("claim")
                      .post(SimulationParams.apiUrl() + "/tasks/#{task}/claim")
                      .header("Authorization", "Bearer #{token}")
                      .check(status().in(200, 409))));

  {
    setUp(racer.injectOpen(atOnceUsers(SimulationParams.riders())))
        .protocols(protocol)
        .assertions(global().failedRequests().count().is(0L));
  }

  @Override
  public void after() {
    try {
      lastProblem = verify();
    } catch (Exception e) {
      lastProblem = "verification failed: " + e;
    }
    System.out.println(
        "claim race verification: "
            + (lastProblem.isEmpty() ? "every task has exactly one winner" : lastProblem));
  }

  static String verify() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String token =
        new JsonObject(
                send(
                    client,
                    "POST",
                    "/auth/login",
                    null,
                    new JsonObject()
                        .put("username", SimulationParams.adminUser())
                        .put("password", SimulationParams.adminPassword())))
            .getString("accessToken");
    Set<String> winners = new HashSet<>();
    int checked = 0;
    for (String task : TASKS) {
      JsonObject t = new JsonObject(send(client, "GET", "/tasks/" + task, token, null));
      JsonArray events =
          new JsonObject(send(client, "GET", "/tasks/" + task + "/events", token, null))
              .getJsonArray("items");
      long claims =
          events.stream().filter(e -> "claimed".equals(((JsonObject) e).getString("type"))).count();
      if (claims != 1) return "task " + task + " has " + claims + " claimed events";
      String by = t.getString("claimedBy");
      if (by == null || !"claimed".equals(t.getString("status")))
        return "task " + task + " is " + t.encode();
      if (!winners.add(by)) return "rider " + by + " won more than one task (limit 1 active task)";
      checked++;
    }
    lastTasksChecked = checked;
    return "";
  }

  private static String send(
      HttpClient client, String method, String path, String token, JsonObject body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(SimulationParams.apiUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()))
            .header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200)
      throw new IllegalStateException(
          method + " " + path + " → " + r.statusCode() + " " + r.body());
    return r.body();
  }
}
