package io.tracklane.gateway.config;

/**
 * Every gateway setting, its environment variable and default, in one place. The README's
 * configuration table is checked against this enum by a test, so the two cannot drift apart.
 */
public enum Setting {
  MQTT_HOST("TRACKLANE_MQTT_HOST", "0.0.0.0", "Interface the MQTT listener binds to"),
  MQTT_PORT("TRACKLANE_MQTT_PORT", "1883", "MQTT listener port (0 picks a free port)"),
  HTTP_HOST("TRACKLANE_HTTP_HOST", "0.0.0.0", "Interface the HTTP listener binds to"),
  HTTP_PORT("TRACKLANE_HTTP_PORT", "8080", "HTTP listener port (0 picks a free port)"),
  ADMIN_HOST("TRACKLANE_ADMIN_HOST", "0.0.0.0",
      "Interface the admin listener (/health/live, /health/ready, /metrics) binds to"),
  ADMIN_PORT("TRACKLANE_ADMIN_PORT", "9090",
      "Admin listener port: health checks and Prometheus metrics, never on the public ingest ports; keep it off the public load balancers (0 picks a free port)"),
  MAX_MESSAGE_BYTES("TRACKLANE_MAX_MESSAGE_BYTES", "262144",
      "Largest MQTT message and HTTP body accepted, in bytes (an offline phone uploads a batch)"),
  MAX_FIXES_PER_PAYLOAD("TRACKLANE_MAX_FIXES_PER_PAYLOAD", "1000", "Most fixes in one payload"),
  FIX_MAX_AHEAD_MS("TRACKLANE_FIX_MAX_AHEAD_MS", "300000",
      "How far a fix's ts may be ahead of the server clock (ms)"),
  FIX_MAX_BEHIND_MS("TRACKLANE_FIX_MAX_BEHIND_MS", "604800000",
      "How far a fix's ts may be behind the server clock (ms; 7 days)"),
  FIXES_TABLE("TRACKLANE_FIXES_TABLE", "tracklane-fixes", "DynamoDB table of fixes"),
  DYNAMODB_ENDPOINT("TRACKLANE_DYNAMODB_ENDPOINT", "",
      "DynamoDB endpoint override (dynalite locally); empty = the region's AWS endpoint"),
  AWS_REGION("AWS_REGION", "us-east-1", "AWS region (cn-north-1 / cn-northwest-1 in China)"),
  TABLE_BOOTSTRAP("TRACKLANE_TABLE_BOOTSTRAP", "false",
      "Create the fixes table and its rider index if missing (development only; infrastructure owns it in production)"),
  FIX_RETENTION_DAYS("TRACKLANE_FIX_RETENTION_DAYS", "90",
      "Days a fix is kept: written to the TTL attribute expiresAt"),
  BATCH_LINGER_MS("TRACKLANE_BATCH_LINGER_MS", "15",
      "How long a partial batch waits for more fixes before it is written (ms)"),
  WRITES_IN_FLIGHT("TRACKLANE_WRITES_IN_FLIGHT", "16", "Most BatchWriteItem requests in flight at once"),
  QUEUE_SOFT_LIMIT("TRACKLANE_QUEUE_SOFT_LIMIT", "20000",
      "Fixes waiting to be written above which HTTP answers 503 + Retry-After"),
  QUEUE_HARD_LIMIT("TRACKLANE_QUEUE_HARD_LIMIT", "50000",
      "Fixes waiting to be written above which MQTT refuses (MQTT 5 PUBACK 0x97; 3.1.1 disconnects)"),
  MQTT_MAX_UNACKED("TRACKLANE_MQTT_MAX_UNACKED", "100",
      "Most QoS 1/2 messages of one MQTT connection awaiting their acknowledgement: MQTT 5 is told it as Receive Maximum and disconnected (0x93) above it; MQTT 3.1.1 is not read further until acknowledgements catch up"),
  RETRY_BASE_MS("TRACKLANE_RETRY_BASE_MS", "25", "First retry backoff cap (ms); doubles per attempt, full jitter"),
  RETRY_MAX_MS("TRACKLANE_RETRY_MAX_MS", "2000", "Largest retry backoff (ms)"),
  WRITE_ATTEMPT_TIMEOUT_MS("TRACKLANE_WRITE_ATTEMPT_TIMEOUT_MS", "5000",
      "One BatchWriteItem attempt times out after this (ms) and is retried"),
  RETRY_AFTER_SECONDS("TRACKLANE_RETRY_AFTER_SECONDS", "2", "Retry-After sent with 503 when shedding load"),
  JWKS_FILE("TRACKLANE_JWKS_FILE", "", "JWKS file with the token verification keys"),
  JWKS_URL("TRACKLANE_JWKS_URL", "", "JWKS URL (the back office's /.well-known/jwks.json); used when no file is set"),
  JWKS_REFRESH_MS("TRACKLANE_JWKS_REFRESH_MS", "600000",
      "How often the JWKS is read again (ms; 10 min), so a rotated signing key needs no restart; a failed read keeps the keys in hand"),
  JWKS_UNKNOWN_KID_MIN_INTERVAL_MS("TRACKLANE_JWKS_UNKNOWN_KID_MIN_INTERVAL_MS", "30000",
      "A token signed with an unknown key id (kid) reads the JWKS again at once, but at most once per this interval (ms), so a flood of such tokens costs one fetch"),
  JWKS_FETCH_TIMEOUT_MS("TRACKLANE_JWKS_FETCH_TIMEOUT_MS", "5000", "One JWKS read (file or URL) fails after this (ms)"),
  JWT_ISSUER("TRACKLANE_JWT_ISSUER", "tracklane", "Required token issuer (iss)"),
  JWT_AUDIENCE("TRACKLANE_JWT_AUDIENCE", "tracklane", "Required token audience (aud)"),
  PG_URL("TRACKLANE_PG_URL", "",
      "Back-office Postgres (postgresql://user:pass@host:port/db): a rider may publish only for a task claimed by them and in progress"),
  PG_PASSWORD("TRACKLANE_PG_PASSWORD", "", "Postgres password, if not in the URL (from a secret store, never in code)"),
  TASK_ACCESS_CACHE_MS("TRACKLANE_TASK_ACCESS_CACHE_MS", "60000",
      "How long a task-access answer is cached (ms). A task status notification from the back office drops it at once; this bounds how stale it gets if a notification is lost (every ping of a 10 s rider would otherwise be a query)"),
  USER_STATUS_CACHE_MS("TRACKLANE_USER_STATUS_CACHE_MS", "60000",
      "How long a user's active flag (read from Postgres at MQTT CONNECT and HTTP ingest) is cached (ms). A user status notification from the back office updates it at once and ends a deactivated user's MQTT connections; this bounds how stale it gets if a notification is lost"),
  DEV_TASKS("TRACKLANE_DEV_TASKS", "",
      "Development only, used when TRACKLANE_PG_URL is empty: fixed task assignments taskId=riderId,..."),
  DEV_TASKS_FILE("TRACKLANE_DEV_TASKS_FILE", "",
      "Development and load tests only: a file of more assignments taskId=riderId, one per line or comma-separated"),
  SHUTDOWN_GRACE_MS("TRACKLANE_SHUTDOWN_GRACE_MS", "10000",
      "On shutdown, how long queued fixes may take to be written and acknowledged (ms)"),
  LIVE_CLIENT_QUEUE("TRACKLANE_LIVE_CLIENT_QUEUE", "1000",
      "Live stream: events queued per client before fix/progress events are coalesced to the latest per task; a client still over it is disconnected"),
  LIVE_HEARTBEAT_MS("TRACKLANE_LIVE_HEARTBEAT_MS", "15000",
      "Live stream: interval of the SSE heartbeat comment and the WebSocket ping (ms)"),
  LIVE_IDLE_MS("TRACKLANE_LIVE_IDLE_MS", "1800000",
      "Live tracking: a task without a fix for this long is dropped from the live state (ms; 30 min)"),
  LIVE_HISTORY_FIXES("TRACKLANE_LIVE_HISTORY_FIXES", "200",
      "Live tracking: stored fixes read back to rebuild a task's progress after a restart"),
  BACKOFFICE_API_URL("TRACKLANE_BACKOFFICE_API_URL", "",
      "Back-office API base URL for the dashboard at /dashboard/ (empty: no dashboard)"),
  CLUSTER("TRACKLANE_CLUSTER", "false",
      "Join a Hazelcast cluster of gateways so the live stream of every instance carries every instance's fixes"),
  CLUSTER_NAME("TRACKLANE_CLUSTER_NAME", "tracklane", "Hazelcast cluster name (instances join only their own cluster)"),
  CLUSTER_MEMBERS("TRACKLANE_CLUSTER_MEMBERS", "127.0.0.1",
      "Hazelcast TCP-IP members to join, host or host:port, comma-separated (multicast is off)"),
  CLUSTER_HOST("TRACKLANE_CLUSTER_HOST", "",
      "Address this instance binds and announces for Hazelcast and the event bus; empty = chosen by Hazelcast"),
  CLUSTER_PORT("TRACKLANE_CLUSTER_PORT", "5701", "First Hazelcast port tried (auto-incremented when taken)"),
  BENCHMARK_DISCARD_FIXES("TRACKLANE_BENCHMARK_DISCARD_FIXES", "false",
      "BENCHMARKS ONLY, NEVER IN PRODUCTION: acknowledge fixes after parsing, validation and the task check, and throw them away (measures the protocol layer alone)");

  private final String env;
  private final String defaultValue;
  private final String description;

  Setting(String env, String defaultValue, String description) {
    this.env = env;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public String env() { return env; }
  public String defaultValue() { return defaultValue; }
  public String description() { return description; }
}
