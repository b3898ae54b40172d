package io.tracklane.backoffice.common;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Back-office settings from environment variables. A value of the form {@code ssm:/path/name} is
 * read once from SSM Parameter Store (SecureString, decrypted) — how secrets (database password,
 * JWT signing key) reach a Lambda without ever appearing in code, templates or logs.
 */
public final class BackofficeConfig {
  public static final String PG_URL = "TRACKLANE_PG_URL";
  public static final String PG_PASSWORD = "TRACKLANE_PG_PASSWORD";
  public static final String PG_POOL_SIZE = "TRACKLANE_PG_POOL_SIZE";
  public static final String JWT_ISSUER = "TRACKLANE_JWT_ISSUER";
  public static final String JWT_AUDIENCE = "TRACKLANE_JWT_AUDIENCE";
  public static final String SIGNING_KEY = "TRACKLANE_SIGNING_KEY";
  public static final String ACCESS_TOKEN_TTL_SECONDS = "TRACKLANE_ACCESS_TOKEN_TTL_SECONDS";
  public static final String REFRESH_TOKEN_TTL_SECONDS = "TRACKLANE_REFRESH_TOKEN_TTL_SECONDS";
  public static final String FIXES_TABLE = "TRACKLANE_FIXES_TABLE";
  public static final String DYNAMODB_ENDPOINT = "TRACKLANE_DYNAMODB_ENDPOINT";
  public static final String AWS_REGION = "AWS_REGION";

  private static final Map<String, String> DEFAULTS = Map.of(
      JWT_ISSUER, "tracklane",
      JWT_AUDIENCE, "tracklane",
      ACCESS_TOKEN_TTL_SECONDS, "900",
      REFRESH_TOKEN_TTL_SECONDS, "2592000",
      FIXES_TABLE, "tracklane-fixes",
      PG_POOL_SIZE, "4",
      AWS_REGION, "us-east-1");

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
    return new BackofficeConfig(values, name -> {
      throw new IllegalStateException("no SSM here: " + name);
    });
  }

  public BackofficeConfig with(Map<String, String> overrides) {
    Map<String, String> m = new HashMap<>(env);
    m.putAll(overrides);
    return new BackofficeConfig(m, ssm);
  }

  /** The value, its default, or null. */
  public String get(String name) {
    String raw = env.getOrDefault(name, DEFAULTS.get(name));
    if (raw == null || !raw.startsWith("ssm:")) return raw;
    return resolved.computeIfAbsent(name, n -> ssm.apply(raw.substring(4)));
  }

  public String require(String name) {
    String v = get(name);
    if (v == null || v.isBlank()) throw new IllegalStateException("setting " + name + " is required");
    return v;
  }

  public int integer(String name) {
    String v = require(name);
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(name + " must be an integer, got '" + v + "'");
    }
  }

  /** One SSM client per container, created on first use (init phase in practice). */
  private static final class SsmLookup implements Function<String, String> {
    private SsmClient client;

    @Override
    public synchronized String apply(String name) {
      if (client == null) client = SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
      return client.getParameter(b -> b.name(name).withDecryption(true)).parameter().value();
    }
  }
}
