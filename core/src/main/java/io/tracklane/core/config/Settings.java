package io.tracklane.core.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validated values of a set of {@link Setting}s, read from an environment map (the process
 * environment in production, a plain map in tests). Reading checks every setting and every {@link
 * Rule} and throws one {@link SettingsException} that names all bad variables at once.
 */
public final class Settings {
  /** A check across settings; a rule reading a setting that is itself bad is skipped. */
  @FunctionalInterface
  public interface Rule {
    /** The problem, starting with the variable to change, or {@code null} when fine. */
    String problem(Settings settings);
  }

  private final Map<Setting<?>, Object> values;

  private Settings(Map<Setting<?>, Object> values) {
    this.values = values;
  }

  public static Settings read(Collection<? extends Setting<?>> keys, Map<String, String> env) {
    return read(keys, env, List.of());
  }

  public static Settings read(
      Collection<? extends Setting<?>> keys, Map<String, String> env, List<Rule> rules) {
    Map<Setting<?>, Object> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (Setting<?> key : keys) {
      try {
        values.put(key, key.parse(env.get(key.env())));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    Settings settings = new Settings(values);
    for (Rule rule : rules) {
      try {
        String problem = rule.problem(settings);
        if (problem != null) problems.add(problem);
      } catch (Unreadable e) {
        // the bad variable the rule needs is already named
      }
    }
    if (!problems.isEmpty()) throw new SettingsException(problems);
    return settings;
  }

  /** The keys of several lists, each once, in order. */
  @SafeVarargs
  public static List<Setting<?>> all(Collection<? extends Setting<?>>... lists) {
    Set<Setting<?>> out = new LinkedHashSet<>();
    for (Collection<? extends Setting<?>> l : lists) out.addAll(l);
    return List.copyOf(out);
  }

  /** The value of a setting that was read. */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> key) {
    Object v = values.get(key);
    if (v == null) {
      if (values.containsKey(key)) return null;
      throw new Unreadable(key);
    }
    return (T) v;
  }

  /** Thrown for a setting that was not read (or, inside a rule, was bad). */
  private static final class Unreadable extends IllegalStateException {
    Unreadable(Setting<?> key) {
      super(key.env() + " was not read with these settings");
    }
  }
}
