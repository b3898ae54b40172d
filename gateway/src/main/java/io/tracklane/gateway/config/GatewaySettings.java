package io.tracklane.gateway.config;

import io.tracklane.core.config.Setting;
import io.tracklane.core.config.Settings;
import io.tracklane.core.config.SharedSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every gateway setting: its environment variable, default, allowed values and meaning, typed. The
 * README's gateway table is generated from {@link #ALL} and checked by {@code ConfigDocsTest}.
 */
public final class GatewaySettings {
  private GatewaySettings() {}

  public static final Setting<String> MQTT_HOST =
      Setting.string("TRACKLANE_MQTT_HOST", "0.0.0.0", "Interface the MQTT listener binds to");
  public static final Setting<Integer> MQTT_PORT =
      Setting.port("TRACKLANE_MQTT_PORT", 1883, "MQTT listener port (0 picks a free port)");
  public static final Setting<String> HTTP_HOST =
      Setting.string("TRACKLANE_HTTP_HOST", "0.0.0.0", "Interface the HTTP listener binds to");
  public static final Setting<Integer> HTTP_PORT =
      Setting.port("TRACKLANE_HTTP_PORT", 8080, "HTTP listener port (0 picks a free port)");
  public static final Setting<String> ADMIN_HOST =
      Setting.string(
          "TRACKLANE_ADMIN_HOST",
          "0.0.0.0",
          "Interface the admin listener (/health/live, /health/ready, /metrics) binds to");
  public static final Setting<Integer> ADMIN_PORT =
      Setting.port(
          "TRACKLANE_ADMIN_PORT",
          9090,
          "Admin listener port: health checks and Prometheus metrics, never on the public ingest ports; keep it off the public load balancers (0 picks a free port)");
  public static final Setting<Integer> MAX_MESSAGE_BYTES =
      Setting.integer(
          "TRACKLANE_MAX_MESSAGE_BYTES",
          262_144,
          1,
          Integer.MAX_VALUE,
          "Largest MQTT message and HTTP body accepted, in bytes (an offline phone uploads a batch)");
  public static final Setting<Integer> MAX_FIXES_PER_PAYLOAD =
      Setting.integer(
          "TRACKLANE_MAX_FIXES_PER_PAYLOAD",
          1000,
          1,
          Integer.MAX_VALUE,
          "Most fixes in one payload");
  public static final Setting<Duration> FIX_MAX_AHEAD_MS =
      Setting.millis(
          "TRACKLANE_FIX_MAX_AHEAD_MS",
          300_000,
          0,
          Long.MAX_VALUE,
          "How far a fix's ts may be ahead of the server clock (ms)");
  public static final Setting<Duration> FIX_MAX_BEHIND_MS =
      Setting.millis(
          "TRACKLANE_FIX_MAX_BEHIND_MS",
          604_800_000,
          0,
          Long.MAX_VALUE,
          "How far a fix's ts may be behind the server clock (ms; 7 days)");
  public static final Setting<String> FIXES_TABLE = SharedSettings.FIXES_TABLE;
  public static final Setting<String> DYNAMODB_ENDPOINT = SharedSettings.DYNAMODB_ENDPOINT;
  public static final Setting<String> AWS_REGION = SharedSettings.AWS_REGION;
  public static final Setting<Boolean> TABLE_BOOTSTRAP =
      Setting.bool(
          "TRACKLANE_TABLE_BOOTSTRAP",
          false,
          "Create the fixes table and its rider index if missing (development only; infrastructure owns it in production)");
  public static final Setting<Integer> FIX_RETENTION_DAYS =
      Setting.integer(
          "TRACKLANE_FIX_RETENTION_DAYS",
          90,
          1,
          Integer.MAX_VALUE,
          "Days a fix is kept: written to the TTL attribute expiresAt");
  public static final Setting<Duration> BATCH_LINGER_MS =
      Setting.millis(
          "TRACKLANE_BATCH_LINGER_MS",
          40,
          0,
          Long.MAX_VALUE,
          "How long a partial batch waits for more fixes before it is written (ms); 40 fills"
              + " batches of 25 from about 600 fixes/s an instance (19,000 riders on 3 gateways)");
  public static final Setting<Integer> WRITES_IN_FLIGHT =
      Setting.integer(
          "TRACKLANE_WRITES_IN_FLIGHT",
          16,
          1,
          Integer.MAX_VALUE,
          "Most BatchWriteItem requests in flight at once");
  public static final Setting<Integer> QUEUE_SOFT_LIMIT =
      Setting.integer(
          "TRACKLANE_QUEUE_SOFT_LIMIT",
          20_000,
          1,
          Integer.MAX_VALUE,
          "Fixes waiting to be written above which HTTP answers 503 + Retry-After");
  public static final Setting<Integer> QUEUE_HARD_LIMIT =
      Setting.integer(
          "TRACKLANE_QUEUE_HARD_LIMIT",
          50_000,
          1,
          Integer.MAX_VALUE,
          "Fixes waiting to be written above which MQTT refuses (MQTT 5 PUBACK 0x97; 3.1.1 disconnects)");
  public static final Setting<Integer> MQTT_MAX_UNACKED =
      Setting.integer(
          "TRACKLANE_MQTT_MAX_UNACKED",
          100,
          1,
          65_535,
          "Most QoS 1/2 messages of one MQTT connection awaiting their acknowledgement: MQTT 5 is told it as Receive Maximum and disconnected (0x93) above it; MQTT 3.1.1 is not read further until acknowledgements catch up");
  public static final Setting<Duration> RETRY_BASE_MS =
      Setting.millis(
          "TRACKLANE_RETRY_BASE_MS",
          25,
          1,
          Long.MAX_VALUE,
          "First retry backoff cap (ms); doubles per attempt, full jitter");
  public static final Setting<Duration> RETRY_MAX_MS =
      Setting.millis(
          "TRACKLANE_RETRY_MAX_MS", 2000, 1, Long.MAX_VALUE, "Largest retry backoff (ms)");
  public static final Setting<Duration> WRITE_ATTEMPT_TIMEOUT_MS =
      Setting.millis(
          "TRACKLANE_WRITE_ATTEMPT_TIMEOUT_MS",
          5000,
          1,
          Long.MAX_VALUE,
          "One BatchWriteItem attempt times out after this (ms) and is retried");
  public static final Setting<Integer> RETRY_AFTER_SECONDS =
      Setting.integer(
          "TRACKLANE_RETRY_AFTER_SECONDS",
          2,
          0,
          Integer.MAX_VALUE,
          "Retry-After sent with 503 when shedding load");
  public static final Setting<String> JWKS_FILE =
      Setting.string("TRACKLANE_JWKS_FILE", "", "JWKS file with the token verification keys");
  public static final Setting<String> JWKS_URL =
      Setting.string(
          "TRACKLANE_JWKS_URL",
          "",
          "JWKS URL (the back office's /.well-known/jwks.json); used when neither a file nor an SSM parameter is set");
  public static final Setting<String> JWKS_SSM_PARAMETER =
      Setting.string(
          "TRACKLANE_JWKS_SSM_PARAMETER",
          "",
          "SSM Parameter Store parameter holding the JWKS (read with ssm:GetParameter); used when no file is set, before the URL, so token checks need no public API (China before the ICP filing)");
  public static final Setting<String> SSM_ENDPOINT =
      Setting.string(
          "TRACKLANE_SSM_ENDPOINT",
          "",
          "SSM endpoint override (tests, emulators); empty = the region's endpoint");
  public static final Setting<Duration> JWKS_REFRESH_MS =
      Setting.millis(
          "TRACKLANE_JWKS_REFRESH_MS",
          600_000,
          1,
          Long.MAX_VALUE,
          "How often the JWKS is read again (ms; 10 min), so a rotated signing key needs no restart; a failed read keeps the keys in hand");
  public static final Setting<Duration> JWKS_UNKNOWN_KID_MIN_INTERVAL_MS =
      Setting.millis(
          "TRACKLANE_JWKS_UNKNOWN_KID_MIN_INTERVAL_MS",
          30_000,
          0,
          Long.MAX_VALUE,
          "A token signed with an unknown key id (kid) reads the JWKS again at once, but at most once per this interval (ms), so a flood of such tokens costs one fetch");
  public static final Setting<Duration> JWKS_FETCH_TIMEOUT_MS =
      Setting.millis(
          "TRACKLANE_JWKS_FETCH_TIMEOUT_MS",
          5000,
          1,
          Long.MAX_VALUE,
          "One JWKS read (file or URL) fails after this (ms)");
  public static final Setting<String> JWT_ISSUER = SharedSettings.JWT_ISSUER;
  public static final Setting<String> JWT_AUDIENCE = SharedSettings.JWT_AUDIENCE;
  public static final Setting<String> PG_URL = SharedSettings.PG_URL;
  public static final Setting<String> PG_PASSWORD = SharedSettings.PG_PASSWORD;
  public static final Setting<String> PG_SSL_ROOT_CERT = SharedSettings.PG_SSL_ROOT_CERT;
  public static final Setting<Duration> TASK_ACCESS_CACHE_MS =
      Setting.millis(
          "TRACKLANE_TASK_ACCESS_CACHE_MS",
          60_000,
          0,
          Long.MAX_VALUE,
          "How long a task-access answer is cached (ms). A task status notification from the back office drops it at once; this bounds how stale it gets if a notification is lost (every ping of a 10 s rider would otherwise be a query)");
  public static final Setting<Duration> USER_STATUS_CACHE_MS =
      Setting.millis(
          "TRACKLANE_USER_STATUS_CACHE_MS",
          60_000,
          0,
          Long.MAX_VALUE,
          "How long a user's active flag (read from Postgres at MQTT CONNECT and HTTP ingest) is cached (ms). A user status notification from the back office updates it at once and ends a deactivated user's MQTT connections; this bounds how stale it gets if a notification is lost");
  public static final Setting<Duration> DEVICE_KEY_CACHE_MS =
      Setting.millis(
          "TRACKLANE_DEVICE_KEY_CACHE_MS",
          30_000,
          0,
          Long.MAX_VALUE,
          "How long a phone app's device key lookup (OwnTracks, Traccar Client) is cached (ms). A revocation notification from the back office drops it at once and ends the device's MQTT sessions; this bounds how long a revoked key still works if a notification is lost");
  public static final Setting<String> DEV_TASKS =
      Setting.string(
          "TRACKLANE_DEV_TASKS",
          "",
          "Development only, used when TRACKLANE_PG_URL is empty: fixed task assignments taskId=riderId,...");
  public static final Setting<String> DEV_TASKS_FILE =
      Setting.string(
          "TRACKLANE_DEV_TASKS_FILE",
          "",
          "Development and load tests only: a file of more assignments taskId=riderId, one per line or comma-separated");
  public static final Setting<Duration> SHUTDOWN_GRACE_MS =
      Setting.millis(
          "TRACKLANE_SHUTDOWN_GRACE_MS",
          10_000,
          0,
          Long.MAX_VALUE,
          "On shutdown, how long queued fixes may take to be written and acknowledged (ms)");
  public static final Setting<Integer> LIVE_CLIENT_QUEUE =
      Setting.integer(
          "TRACKLANE_LIVE_CLIENT_QUEUE",
          1000,
          1,
          Integer.MAX_VALUE,
          "Live stream: events queued per client before fix/progress events are coalesced to the latest per task; a client still over it is disconnected");
  public static final Setting<Duration> LIVE_HEARTBEAT_MS =
      Setting.millis(
          "TRACKLANE_LIVE_HEARTBEAT_MS",
          15_000,
          1,
          Long.MAX_VALUE,
          "Live stream: interval of the SSE heartbeat comment and the WebSocket ping (ms)");
  public static final Setting<Integer> OFFERS_CLIENT_QUEUE =
      Setting.integer(
          "TRACKLANE_OFFERS_CLIENT_QUEUE",
          500,
          1,
          Integer.MAX_VALUE,
          "Task offers: events queued per rider (MQTT or SSE) before only the latest per task is kept; a rider still over it is disconnected");
  public static final Setting<Duration> OFFERS_POSITION_MAX_AGE_MS =
      Setting.millis(
          "TRACKLANE_OFFERS_POSITION_MAX_AGE_MS",
          120_000,
          1,
          Long.MAX_VALUE,
          "Task offers: a rider's last fix younger than this (ms) gives each offer its distance to the route's start");
  public static final Setting<Duration> LIVE_IDLE_MS =
      Setting.millis(
          "TRACKLANE_LIVE_IDLE_MS",
          1_800_000,
          1,
          Long.MAX_VALUE,
          "Live tracking: a task without a fix for this long is dropped from the live state (ms; 30 min)");
  public static final Setting<Integer> LIVE_HISTORY_FIXES =
      Setting.integer(
          "TRACKLANE_LIVE_HISTORY_FIXES",
          200,
          1,
          Integer.MAX_VALUE,
          "Live tracking: stored fixes read back to rebuild a task's progress after a restart");
  public static final Setting<String> BACKOFFICE_API_URL =
      Setting.string(
          "TRACKLANE_BACKOFFICE_API_URL",
          "",
          "Back-office API base URL for the web pages (dispatcher dashboard at /dashboard/; empty: no pages)");
  public static final Setting<String> WEB_ROOT =
      Setting.string(
          "TRACKLANE_WEB_ROOT",
          "",
          "Folder the web pages are served from (the web module's webroot/, e.g. web/src/main/resources/webroot: bin/stack sets it so page edits show without a rebuild); empty = webroot/ on the classpath (the container image carries the web jar)");
  public static final Setting<String> WEB_UPLOAD_ORIGINS =
      Setting.string(
          "TRACKLANE_WEB_UPLOAD_ORIGINS",
          "",
          "Origins the web pages may upload to besides the API, comma-separated (the receipts bucket the presigned upload forms point at, e.g. https://tracklane-receipts.s3.eu-west-1.amazonaws.com); added to the pages' connect-src");
  public static final Setting<Boolean> CLUSTER =
      Setting.bool(
          "TRACKLANE_CLUSTER",
          false,
          "Join a Hazelcast cluster of gateways so the live stream of every instance carries every instance's fixes");
  public static final Setting<String> CLUSTER_NAME =
      Setting.string(
          "TRACKLANE_CLUSTER_NAME",
          "tracklane",
          "Hazelcast cluster name (instances join only their own cluster)");
  public static final Setting<String> CLUSTER_MEMBERS =
      Setting.string(
          "TRACKLANE_CLUSTER_MEMBERS",
          "127.0.0.1",
          "Hazelcast TCP-IP members to join, host or host:port, comma-separated (multicast is off)");
  public static final Setting<String> CLUSTER_HOST =
      Setting.string(
          "TRACKLANE_CLUSTER_HOST",
          "",
          "Address this instance binds and announces for Hazelcast and the event bus; empty = chosen by Hazelcast");
  public static final Setting<Integer> CLUSTER_PORT =
      Setting.integer(
          "TRACKLANE_CLUSTER_PORT",
          5701,
          1,
          65_535,
          "First Hazelcast port tried (auto-incremented when taken)");
  public static final Setting<Boolean> BENCHMARK_DISCARD_FIXES =
      Setting.bool(
          "TRACKLANE_BENCHMARK_DISCARD_FIXES",
          false,
          "BENCHMARKS ONLY, NEVER IN PRODUCTION: acknowledge fixes after parsing, validation and the task check, and throw them away (measures the protocol layer alone)");

  /** Every gateway setting, in the README's order. */
  public static final List<Setting<?>> ALL =
      List.of(
          MQTT_HOST,
          MQTT_PORT,
          HTTP_HOST,
          HTTP_PORT,
          ADMIN_HOST,
          ADMIN_PORT,
          MAX_MESSAGE_BYTES,
          MAX_FIXES_PER_PAYLOAD,
          FIX_MAX_AHEAD_MS,
          FIX_MAX_BEHIND_MS,
          FIXES_TABLE,
          DYNAMODB_ENDPOINT,
          AWS_REGION,
          TABLE_BOOTSTRAP,
          FIX_RETENTION_DAYS,
          BATCH_LINGER_MS,
          WRITES_IN_FLIGHT,
          QUEUE_SOFT_LIMIT,
          QUEUE_HARD_LIMIT,
          MQTT_MAX_UNACKED,
          RETRY_BASE_MS,
          RETRY_MAX_MS,
          WRITE_ATTEMPT_TIMEOUT_MS,
          RETRY_AFTER_SECONDS,
          JWKS_FILE,
          JWKS_SSM_PARAMETER,
          SSM_ENDPOINT,
          JWKS_URL,
          JWKS_REFRESH_MS,
          JWKS_UNKNOWN_KID_MIN_INTERVAL_MS,
          JWKS_FETCH_TIMEOUT_MS,
          JWT_ISSUER,
          JWT_AUDIENCE,
          PG_URL,
          PG_PASSWORD,
          PG_SSL_ROOT_CERT,
          TASK_ACCESS_CACHE_MS,
          USER_STATUS_CACHE_MS,
          DEVICE_KEY_CACHE_MS,
          DEV_TASKS,
          DEV_TASKS_FILE,
          SHUTDOWN_GRACE_MS,
          LIVE_CLIENT_QUEUE,
          LIVE_HEARTBEAT_MS,
          LIVE_IDLE_MS,
          LIVE_HISTORY_FIXES,
          OFFERS_CLIENT_QUEUE,
          OFFERS_POSITION_MAX_AGE_MS,
          BACKOFFICE_API_URL,
          WEB_ROOT,
          WEB_UPLOAD_ORIGINS,
          CLUSTER,
          CLUSTER_NAME,
          CLUSTER_MEMBERS,
          CLUSTER_HOST,
          CLUSTER_PORT,
          BENCHMARK_DISCARD_FIXES);

  /** Checks across settings. */
  public static final List<Settings.Rule> RULES =
      List.of(
          s ->
              s.get(QUEUE_HARD_LIMIT) < s.get(QUEUE_SOFT_LIMIT)
                  ? QUEUE_HARD_LIMIT.env()
                      + " must be ≥ "
                      + QUEUE_SOFT_LIMIT.env()
                      + " ("
                      + s.get(QUEUE_SOFT_LIMIT)
                      + "), got "
                      + s.get(QUEUE_HARD_LIMIT)
                  : null,
          s ->
              !s.get(WEB_ROOT).isEmpty() && !Files.isDirectory(Path.of(s.get(WEB_ROOT)))
                  ? WEB_ROOT.env() + " must be a folder, got " + s.get(WEB_ROOT)
                  : null,
          s -> badUploadOrigin(s.get(WEB_UPLOAD_ORIGINS)));

  /** Null when every comma-separated entry is an http(s) origin, else what is wrong. */
  static String badUploadOrigin(String origins) {
    for (String o : origins.split(",")) {
      String origin = o.trim();
      if (origin.isEmpty()) continue;
      URI u;
      try {
        u = new URI(origin);
      } catch (URISyntaxException e) {
        u = null;
      }
      if (u == null
          || u.getHost() == null
          || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
        return WEB_UPLOAD_ORIGINS.env()
            + " must list http(s) origins such as https://bucket.s3.eu-west-1.amazonaws.com, got "
            + origin;
      }
    }
    return null;
  }
}
