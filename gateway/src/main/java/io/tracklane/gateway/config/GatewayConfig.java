package io.tracklane.gateway.config;

import io.tracklane.core.config.Setting;
import io.tracklane.core.config.Settings;
import io.tracklane.core.fix.FixLimits;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway's settings, read and validated at start. Values come from a map keyed by environment
 * variable names (the process environment in production, a plain map in tests); anything unset
 * takes its {@link GatewaySettings} default. Bad values fail at start with one exception naming
 * every bad variable.
 */
public final class GatewayConfig {
  private final Map<String, String> env;
  private final Settings settings;

  private GatewayConfig(Map<String, String> env) {
    this.env = Map.copyOf(env);
    this.settings = Settings.read(GatewaySettings.ALL, this.env, GatewaySettings.RULES);
  }

  public static GatewayConfig fromEnv() {
    return new GatewayConfig(System.getenv());
  }

  public static GatewayConfig from(Map<String, String> env) {
    return new GatewayConfig(env);
  }

  /** A copy with some settings replaced (keys are environment variable names). */
  public GatewayConfig with(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(env);
    merged.putAll(overrides);
    return new GatewayConfig(merged);
  }

  /** The value of a {@link GatewaySettings} key. */
  public <T> T get(Setting<T> key) {
    return settings.get(key);
  }

  public FixLimits fixLimits() {
    return new FixLimits(
        get(GatewaySettings.MAX_FIXES_PER_PAYLOAD),
        get(GatewaySettings.FIX_MAX_AHEAD_MS).toMillis(),
        get(GatewaySettings.FIX_MAX_BEHIND_MS).toMillis());
  }
}
