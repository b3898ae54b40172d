package io.tracklane.gateway.config;

import io.tracklane.core.fix.FixLimits;
import java.util.EnumMap;
import java.util.Map;

/**
 * Typed view of the gateway settings. Values come from a map keyed by environment variable
 * names (the process environment in production, a plain map in tests); anything missing takes
 * its {@link Setting} default. A bad value fails at start with the variable named.
 */
public final class GatewayConfig {
  private final EnumMap<Setting, String> values = new EnumMap<>(Setting.class);

  private GatewayConfig(Map<String, String> env) {
    for (Setting s : Setting.values()) {
      values.put(s, env.getOrDefault(s.env(), s.defaultValue()).trim());
    }
    validate();
  }

  public static GatewayConfig fromEnv() {
    return new GatewayConfig(System.getenv());
  }

  public static GatewayConfig from(Map<String, String> env) {
    return new GatewayConfig(env);
  }

  /** A copy with some settings replaced (keys are environment variable names). */
  public GatewayConfig with(Map<String, String> overrides) {
    Map<String, String> merged = new java.util.HashMap<>();
    values.forEach((k, v) -> merged.put(k.env(), v));
    merged.putAll(overrides);
    return new GatewayConfig(merged);
  }

  public String string(Setting s) { return values.get(s); }

  public int integer(Setting s) {
    try {
      return Integer.parseInt(values.get(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(s.env() + " must be an integer, got '" + values.get(s) + "'");
    }
  }

  public long longValue(Setting s) {
    try {
      return Long.parseLong(values.get(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(s.env() + " must be an integer, got '" + values.get(s) + "'");
    }
  }

  public boolean bool(Setting s) {
    String v = values.get(s).toLowerCase(java.util.Locale.ROOT);
    if (v.equals("true") || v.equals("1") || v.equals("yes")) return true;
    if (v.equals("false") || v.equals("0") || v.equals("no") || v.isEmpty()) return false;
    throw new IllegalArgumentException(s.env() + " must be true or false, got '" + values.get(s) + "'");
  }

  public FixLimits fixLimits() {
    return new FixLimits(integer(Setting.MAX_FIXES_PER_PAYLOAD), longValue(Setting.FIX_MAX_AHEAD_MS),
        longValue(Setting.FIX_MAX_BEHIND_MS));
  }

  private void validate() {
    for (Setting s : new Setting[] {Setting.MQTT_PORT, Setting.HTTP_PORT, Setting.ADMIN_PORT}) {
      int p = integer(s);
      if (p < 0 || p > 65535) throw new IllegalArgumentException(s.env() + " must be a port 0..65535, got " + p);
    }
    for (Setting s : new Setting[] {Setting.MAX_MESSAGE_BYTES, Setting.MAX_FIXES_PER_PAYLOAD,
        Setting.WRITES_IN_FLIGHT, Setting.QUEUE_SOFT_LIMIT, Setting.QUEUE_HARD_LIMIT, Setting.RETRY_BASE_MS,
        Setting.RETRY_MAX_MS, Setting.WRITE_ATTEMPT_TIMEOUT_MS, Setting.FIX_RETENTION_DAYS, Setting.LIVE_CLIENT_QUEUE,
        Setting.LIVE_HEARTBEAT_MS, Setting.LIVE_IDLE_MS, Setting.LIVE_HISTORY_FIXES, Setting.JWKS_REFRESH_MS,
        Setting.JWKS_FETCH_TIMEOUT_MS, Setting.MQTT_MAX_UNACKED}) {
      if (longValue(s) <= 0) throw new IllegalArgumentException(s.env() + " must be positive");
    }
    for (Setting s : new Setting[] {Setting.JWKS_UNKNOWN_KID_MIN_INTERVAL_MS, Setting.USER_STATUS_CACHE_MS}) {
      if (longValue(s) < 0) throw new IllegalArgumentException(s.env() + " must be >= 0");
    }
    if (longValue(Setting.BATCH_LINGER_MS) < 0) throw new IllegalArgumentException(Setting.BATCH_LINGER_MS.env() + " must be >= 0");
    if (integer(Setting.QUEUE_HARD_LIMIT) < integer(Setting.QUEUE_SOFT_LIMIT)) {
      throw new IllegalArgumentException(Setting.QUEUE_HARD_LIMIT.env() + " must be >= " + Setting.QUEUE_SOFT_LIMIT.env());
    }
    if (integer(Setting.MQTT_MAX_UNACKED) > 65_535) {
      // MQTT 5 Receive Maximum is a two-byte integer
      throw new IllegalArgumentException(Setting.MQTT_MAX_UNACKED.env() + " must be at most 65535");
    }
    bool(Setting.TABLE_BOOTSTRAP);
    bool(Setting.CLUSTER);
    int clusterPort = integer(Setting.CLUSTER_PORT);
    if (clusterPort < 1 || clusterPort > 65535) {
      throw new IllegalArgumentException(Setting.CLUSTER_PORT.env() + " must be a port 1..65535, got " + clusterPort);
    }
    if (bool(Setting.CLUSTER) && string(Setting.CLUSTER_NAME).isEmpty()) {
      throw new IllegalArgumentException(Setting.CLUSTER_NAME.env() + " must not be empty");
    }
    if (string(Setting.FIXES_TABLE).isEmpty()) throw new IllegalArgumentException(Setting.FIXES_TABLE.env() + " must not be empty");
  }
}
