package io.tracklane.loadtest.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.Locale;

/**
 * N pre-seeded riders: each logs in, claims and starts its task, then posts one fix every 10 s over
 * HTTP for the duration. Fails on any error or a p99 above {@code p99Ms}.
 */
public class RiderFleetHttpSimulation extends Simulation {
  static final Duration PING = Duration.ofSeconds(10);

  HttpProtocolBuilder protocol =
      http.disableCaching()
          .acceptHeader("application/json")
          .contentTypeHeader("application/json")
          .shareConnections();

  ScenarioBuilder rider =
      scenario("rider")
          .feed(csv(SimulationParams.ridersFile()).queue())
          .exec(
              http("login")
                  .post(SimulationParams.apiUrl() + "/auth/login")
                  .body(StringBody(SimulationParams.loginBody()))
                  .check(status().is(200), jsonPath("$.accessToken").saveAs("token")))
          .exec(
              http("claim")
                  .post(SimulationParams.apiUrl() + "/tasks/#{taskId}/claim")
                  .header("Authorization", "Bearer #{token}")
                  .check(status().is(200)))
          .exec(
              http("start")
                  .post(SimulationParams.apiUrl() + "/tasks/#{taskId}/start")
                  .header("Authorization", "Bearer #{token}")
                  .check(status().is(200)))
          .exec(session -> session.set("n", 0))
          .during(SimulationParams.duration())
          .on(
              exec(session -> session.set("n", session.getInt("n") + 1))
                  .exec(
                      http("fix")
                          .post(SimulationParams.gatewayUrl() + "/v1/tasks/#{taskId}/fixes")
                          .header("Authorization", "Bearer #{token}")
                          .body(StringBody(RiderFleetHttpSimulation::fix))
                          .check(status().is(200), jsonPath("$.stored").ofInt().is(1)))
                  .pause(PING));

  {
    setUp(rider.injectOpen(rampUsers(SimulationParams.riders()).during(SimulationParams.ramp())))
        .protocols(protocol)
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99.0).lt(SimulationParams.p99Ms()));
  }

  /** A fix moving north-east from the Bund, 50 m per ping, stamped now. */
  static String fix(Session s) {
    int n = s.getInt("n");
    double lat = 31.2400 + n * 0.00032;
    double lon = 121.4900 + n * 0.00038;
    return String.format(
        Locale.ROOT,
        "{\"ts\":%d,\"lat\":%.6f,\"lon\":%.6f,\"acc\":6.0,\"spd\":5.0}",
        System.currentTimeMillis(),
        lat,
        lon);
  }
}
