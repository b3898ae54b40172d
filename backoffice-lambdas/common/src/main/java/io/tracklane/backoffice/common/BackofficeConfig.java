package io.tracklane.backoffice.common;

import io.tracklane.core.config.Setting;
import io.tracklane.core.config.Settings;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The back office's environment, read through typed {@link Setting}s ({@link BackofficeSettings}
 * and each unit's own). A value of the form {@code ssm:/path/name} is read once from SSM Parameter
 * Store (SecureString, decrypted) — how secrets (database password, JWT signing key) reach a Lambda
 * without ever appearing in code, templates or logs.
 */
public final class BackofficeConfig {
  private final Map<String, String> env;
  private final Function<String, String> ssm;
  private final Map<String, String> resolved = new ConcurrentHashMap<>();

  private BackofficeConfig(Map<String, String> env, Function<String, String> ssm) {
    this.env = Map.copyOf(env);
    this.ssm = ssm;
  }

  public static BackofficeConfig fromEnv() {
    return new BackofficeConfig(System.getenv(), new SsmLookup());
  }

  /** For tests and local-api: explicit values; {@code ssm:} values are not allowed. */
  public static BackofficeConfig of(Map<String, String> values) {
    return new BackofficeConfig(
        values,
        name -> {
          throw new IllegalStateException("no SSM here: " + name);
        });
  }

  public BackofficeConfig with(Map<String, String> overrides) {
    Map<String, String> m = new HashMap<>(env);
    m.putAll(overrides);
    return new BackofficeConfig(m, ssm);
  }

  /**
   * Reads and validates {@code keys} at once (a unit's init phase).
   *
   * @throws io.tracklane.core.config.SettingsException naming every bad variable
   */
  public Settings read(Collection<? extends Setting<?>> keys) {
    return read(keys, List.of());
  }

  /** {@link #read(Collection)} with checks across settings. */
  public Settings read(Collection<? extends Setting<?>> keys, List<Settings.Rule> rules) {
    Map<String, String> raw = new HashMap<>();
    for (Setting<?> key : keys) {
      String v = raw(key.env());
      if (v != null) raw.put(key.env(), v);
    }
    return Settings.read(keys, raw, rules);
  }

  /** One setting's value (its default when unset). */
  public <T> T get(Setting<T> key) {
    return read(List.of(key)).get(key);
  }

  private String raw(String name) {
    String raw = env.get(name);
    if (raw == null || !raw.startsWith("ssm:")) return raw;
    return resolved.computeIfAbsent(name, n -> ssm.apply(raw.substring(4)));
  }

  /** One SSM client per container, created on first use (init phase in practice). */
  private static final class SsmLookup implements Function<String, String> {
    private SsmClient client;

    @Override
    public synchronized String apply(String name) {
      if (client == null)
        client = SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
      return client.getParameter(b -> b.name(name).withDecryption(true)).parameter().value();
    }
  }
}
