package io.tracklane.loadtest.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The office at work: admins design routes and publish tasks; managers (four to one) browse the
 * task list, open tasks, read their audit trail and the routes. Fails on any error or a p99 above
 * {@code p99Ms}.
 */
public class BackOfficeSimulation extends Simulation {
  HttpProtocolBuilder protocol =
      http.baseUrl(SimulationParams.apiUrl())
          .disableCaching()
          .contentTypeHeader("application/json")
          .acceptHeader("application/json")
          .shareConnections();

  static ChainBuilder login(String user, String password) {
    return exec(
        http("login " + user)
            .post("/auth/login")
            .body(StringBody("{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
            .check(status().is(200), jsonPath("$.accessToken").saveAs("token")));
  }

  ScenarioBuilder admin =
      scenario("admin")
          .exec(login(SimulationParams.adminUser(), SimulationParams.adminPassword()))
          .during(SimulationParams.duration())
          .on(
              exec(session -> session.set("route", route()))
                  .exec(
                      http("create route")
                          .post("/routes")
                          .header("Authorization", "Bearer #{token}")
                          .body(StringBody("#{route}"))
                          .check(status().is(201), jsonPath("$.id").saveAs("routeId")))
                  .exec(session -> session.set("task", task(session.getString("routeId"))))
                  .exec(
                      http("create task")
                          .post("/tasks")
                          .header("Authorization", "Bearer #{token}")
                          .body(StringBody("#{task}"))
                          .check(status().is(201)))
                  .exec(
                      http("open tasks")
                          .get("/tasks?status=open&limit=50")
                          .header("Authorization", "Bearer #{token}")
                          .check(status().is(200)))
                  .pause(Duration.ofSeconds(2)));

  ScenarioBuilder manager =
      scenario("manager")
          .exec(login(SimulationParams.managerUser(), SimulationParams.managerPassword()))
          .during(SimulationParams.duration())
          .on(
              exec(http("list tasks")
                      .get("/tasks?limit=20")
                      .header("Authorization", "Bearer #{token}")
                      .check(
                          status().is(200), jsonPath("$.items[0].id").optional().saveAs("taskId")))
                  .doIf(session -> session.contains("taskId"))
                  .then(
                      exec(http("get task")
                              .get("/tasks/#{taskId}")
                              .header("Authorization", "Bearer #{token}")
                              .check(status().is(200)))
                          .exec(
                              http("task events")
                                  .get("/tasks/#{taskId}/events")
                                  .header("Authorization", "Bearer #{token}")
                                  .check(status().is(200))))
                  .exec(
                      http("list routes")
                          .get("/routes")
                          .header("Authorization", "Bearer #{token}")
                          .check(status().is(200)))
                  .pause(Duration.ofSeconds(1)));

  {
    int managers = Math.max(1, SimulationParams.riders() * 4 / 5);
    int admins = Math.max(1, SimulationParams.riders() - managers);
    setUp(
            admin.injectOpen(rampUsers(admins).during(SimulationParams.ramp())),
            manager.injectOpen(rampUsers(managers).during(SimulationParams.ramp())))
        .protocols(protocol)
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99.0).lt(SimulationParams.p99Ms()));
  }

  static String route() {
    double lat = 31.20 + ThreadLocalRandom.current().nextDouble(0.05);
    double lon = 121.45 + ThreadLocalRandom.current().nextDouble(0.05);
    return "{\"name\":\"load route "
        + ThreadLocalRandom.current().nextInt(1_000_000)
        + "\",\"geometry\":{\"type\":"
        + "\"LineString\",\"coordinates\":[["
        + lon
        + ","
        + lat
        + "],["
        + (lon + 0.01)
        + ","
        + (lat + 0.008)
        + "]]},"
        + "\"checkpoints\":[]}";
  }

  static String task(String routeId) {
    Instant now = Instant.now();
    return "{\"routeId\":\""
        + routeId
        + "\",\"title\":\"load task\",\"bonusAmount\":\"8.00\",\"bonusCurrency\":\"CNY\","
        + "\"windowStart\":\""
        + now.minusSeconds(60)
        + "\",\"windowEnd\":\""
        + now.plusSeconds(7200)
        + "\"}";
  }
}
