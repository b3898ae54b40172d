package io.tracklane.core.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One typed setting: its environment variable, default, allowed values and one-line doc. Every
 * setting of the gateway and of every Lambda unit is declared as one of these (in the style of
 * Traccar's {@code ConfigKey<T>}); {@link Settings} reads and validates a set of them at once and
 * {@link SettingsTable} renders the README tables from them.
 *
 * <p>An unset or blank variable takes the default; a setting without default is required.
 *
 * @param <T> the type a value parses to
 */
public final class Setting<T> {
  private final String env;
  private final String defaultValue;
  private final String allowed;
  private final String doc;
  private final Function<String, T> parser;

  private Setting(
      String env, String defaultValue, String allowed, String doc, Function<String, T> parser) {
    this.env = env;
    this.defaultValue = defaultValue;
    this.allowed = allowed;
    this.doc = doc;
    this.parser = parser;
  }

  /** Any text; {@code ""} as default means "not set". */
  public static Setting<String> string(String env, String defaultValue, String doc) {
    return new Setting<>(env, defaultValue, "", doc, s -> s);
  }

  /** Text that must be set: no default. */
  public static Setting<String> required(String env, String doc) {
    return new Setting<>(env, null, "", doc, s -> s);
  }

  /** One of a few words, compared without case; the value is the word in lower case. */
  public static Setting<String> oneOf(
      String env, String defaultValue, String doc, String... words) {
    List<String> allowed = Arrays.asList(words);
    return new Setting<>(
        env,
        defaultValue,
        String.join(" | ", allowed),
        doc,
        s -> {
          String v = s.toLowerCase(Locale.ROOT);
          if (!allowed.contains(v))
            throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
          return v;
        });
  }

  public static Setting<Integer> integer(
      String env, int defaultValue, int min, int max, String doc) {
    return new Setting<>(
        env,
        Integer.toString(defaultValue),
        range(min, max, Integer.MAX_VALUE),
        doc,
        s -> (int) parseLong(s, min, max));
  }

  /** A TCP port; 0 asks the system for a free one. */
  public static Setting<Integer> port(String env, int defaultValue, String doc) {
    return integer(env, defaultValue, 0, 65_535, doc);
  }

  public static Setting<Long> longValue(
      String env, long defaultValue, long min, long max, String doc) {
    return new Setting<>(
        env,
        Long.toString(defaultValue),
        range(min, max, Long.MAX_VALUE),
        doc,
        s -> parseLong(s, min, max));
  }

  /** A duration written as whole milliseconds. */
  public static Setting<Duration> millis(
      String env, long defaultMs, long minMs, long maxMs, String doc) {
    return new Setting<>(
        env,
        Long.toString(defaultMs),
        range(minMs, maxMs, Long.MAX_VALUE) + " ms",
        doc,
        s -> Duration.ofMillis(parseLong(s, minMs, maxMs)));
  }

  /** A duration written as whole seconds. */
  public static Setting<Duration> seconds(
      String env, long defaultS, long minS, long maxS, String doc) {
    return new Setting<>(
        env,
        Long.toString(defaultS),
        range(minS, maxS, Long.MAX_VALUE) + " s",
        doc,
        s -> Duration.ofSeconds(parseLong(s, minS, maxS)));
  }

  /** A decimal number within [min, max]. */
  public static Setting<Double> decimal(
      String env, double defaultValue, double min, double max, String doc) {
    return new Setting<>(
        env,
        fmt(defaultValue),
        fmt(min) + ".." + fmt(max),
        doc,
        s -> {
          double v;
          try {
            v = Double.parseDouble(s);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number " + fmt(min) + ".." + fmt(max));
          }
          if (!(v >= min && v <= max))
            throw new IllegalArgumentException("must be " + fmt(min) + ".." + fmt(max));
          return v;
        });
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** {@code true}/{@code false} (also {@code yes}/{@code no}, {@code 1}/{@code 0}), any case. */
  public static Setting<Boolean> bool(String env, boolean defaultValue, String doc) {
    return new Setting<>(
        env,
        Boolean.toString(defaultValue),
        "true | false",
        doc,
        s -> {
          switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1":
              return true;
            case "false", "no", "0":
              return false;
            default:
              throw new IllegalArgumentException("must be true or false");
          }
        });
  }

  /** An IANA time zone id such as {@code Asia/Shanghai}. */
  public static Setting<ZoneId> zone(String env, String defaultValue, String doc) {
    return new Setting<>(
        env,
        defaultValue,
        "IANA time zone",
        doc,
        s -> {
          try {
            return ZoneId.of(s);
          } catch (DateTimeException e) {
            throw new IllegalArgumentException("must be an IANA time zone such as Asia/Shanghai");
          }
        });
  }

  /** The one integer parser of every setting: a whole number within [min, max]. */
  static long parseLong(String s, long min, long max) {
    long v;
    try {
      v = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be an integer " + range(min, max, Long.MAX_VALUE));
    }
    if (v < min || v > max)
      throw new IllegalArgumentException("must be " + range(min, max, Long.MAX_VALUE));
    return v;
  }

  private static String range(long min, long max, long unbounded) {
    return max >= unbounded ? "≥ " + min : min + ".." + max;
  }

  /**
   * The value of a raw variable ({@code null} or blank: the default).
   *
   * @throws IllegalArgumentException naming the variable, what it must be and what it was
   */
  public T parse(String raw) {
    String v = raw == null ? "" : raw.trim();
    if (v.isEmpty()) {
      if (defaultValue == null) throw new IllegalArgumentException(env + " is required");
      if (defaultValue.isEmpty()) return parser.apply("");
      v = defaultValue;
    }
    try {
      return parser.apply(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(env + " " + e.getMessage() + ", got '" + v + "'");
    }
  }

  /** This setting with no default: it must be set (for a unit that cannot run without it). */
  public Setting<T> required() {
    return new Setting<>(env, null, allowed, doc, parser);
  }

  /** The environment variable. */
  public String env() {
    return env;
  }

  /** The default as written in the environment; {@code ""} = not set; {@code null} = required. */
  public String defaultValue() {
    return defaultValue;
  }

  public boolean isRequired() {
    return defaultValue == null;
  }

  /** The allowed values in words ({@code 1..65535}, {@code true | false}); empty: any text. */
  public String allowed() {
    return allowed;
  }

  public String doc() {
    return doc;
  }

  @Override
  public String toString() {
    return env;
  }
}
