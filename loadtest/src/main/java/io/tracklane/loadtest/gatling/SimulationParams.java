package io.tracklane.loadtest.gatling;

import java.time.Duration;

/**
 * The simulations' parameters, from system properties with defaults for a local stack. Gatling
 * reads them at class init, so the launcher (or {@code mvn gatling:test -D...}) sets them first.
 */
final class SimulationParams {
  private SimulationParams() {}

  /** Back-office API base URL (local-api or API Gateway). */
  static String apiUrl() {
    return System.getProperty("tracklane.apiUrl", "http://127.0.0.1:8081");
  }

  /** Gateway HTTP base URL (fix ingest). */
  static String gatewayUrl() {
    return System.getProperty("tracklane.gatewayUrl", "http://127.0.0.1:8080");
  }

  /** CSV of pre-seeded riders: {@code username,password,taskId} (one open task per rider). */
  static String ridersFile() {
    return System.getProperty("tracklane.ridersFile", "target/gatling-riders.csv");
  }

  static int riders() {
    return Integer.getInteger("riders", 50);
  }

  static Duration duration() {
    return Duration.ofSeconds(Long.getLong("durationSeconds", 60));
  }

  static Duration ramp() {
    return Duration.ofSeconds(Long.getLong("rampSeconds", 10));
  }

  /** Acceptable p99 response time, ms. */
  static int p99Ms() {
    return Integer.getInteger("p99Ms", 1000);
  }

  static String adminUser() {
    return System.getProperty("tracklane.adminUser", "admin");
  }

  static String adminPassword() {
    return System.getProperty("tracklane.adminPassword", "");
  }

  static String managerUser() {
    return System.getProperty("tracklane.managerUser", "manager");
  }

  static String managerPassword() {
    return System.getProperty("tracklane.managerPassword", "");
  }

  /** Comma-separated open task ids the claim race is run on. */
  static String raceTasks() {
    return System.getProperty("tracklane.raceTasks", "");
  }

  /** CSV of the racing riders: {@code username,password} (taskId column ignored). */
  static String racersFile() {
    return System.getProperty("tracklane.racersFile", "target/gatling-racers.csv");
  }

  static String loginBody() {
    return "{\"username\":\"#{username}\",\"password\":\"#{password}\"}";
  }
}
