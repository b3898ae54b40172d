package io.tracklane.core.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's configuration tables, generated from the {@link Setting}s. A table sits between
 * {@code <!-- settings:NAME -->} and {@code <!-- /settings:NAME -->}; the docs tests compare it
 * with the keys and, run with {@code -Dupdate=true}, write it.
 */
public final class SettingsTable {
  private static final Pattern ENV_IN_ROW =
      Pattern.compile("^\\| `([A-Z0-9_]+)` \\|", Pattern.MULTILINE);

  private SettingsTable() {}

  /** The Markdown table of {@code keys}, in their order. */
  public static String markdown(Collection<? extends Setting<?>> keys) {
    StringBuilder b =
        new StringBuilder("| variable | default | allowed | meaning |\n|---|---|---|---|\n");
    for (Setting<?> k : keys) {
      String def =
          k.isRequired()
              ? "(required)"
              : k.defaultValue().isEmpty() ? "(empty)" : "`" + k.defaultValue() + "`";
      b.append("| `")
          .append(k.env())
          .append("` | ")
          .append(def)
          .append(" | ")
          .append(cell(k.allowed()))
          .append(" | ")
          .append(cell(k.doc()))
          .append(" |\n");
    }
    return b.toString();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|");
  }

  /**
   * Checks (or, with {@code update}, rewrites) the section {@code name} of {@code readme}.
   *
   * @return the problems found; empty when the README is true (or was just rewritten)
   */
  public static List<String> sync(
      Path readme, String name, Collection<? extends Setting<?>> keys, boolean update)
      throws IOException {
    String text = Files.readString(readme);
    String open = "<!-- settings:" + name + " -->\n";
    String close = "<!-- /settings:" + name + " -->";
    int start = text.indexOf(open);
    int end = text.indexOf(close);
    if (start < 0 || end < start)
      return List.of(readme + " has no section " + open.trim() + " … " + close);
    String table = markdown(keys);
    String current = text.substring(start + open.length(), end);
    if (update) {
      if (!current.equals(table)) {
        Files.writeString(
            readme, text.substring(0, start + open.length()) + table + text.substring(end));
      }
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    Set<String> listed = new LinkedHashSet<>();
    Matcher m = ENV_IN_ROW.matcher(current);
    while (m.find()) listed.add(m.group(1));
    Set<String> declared = new LinkedHashSet<>();
    for (Setting<?> k : keys) declared.add(k.env());
    for (String env : declared)
      if (!listed.contains(env)) problems.add("README section " + name + " lacks " + env);
    for (String env : listed) {
      if (!declared.contains(env))
        problems.add("README section " + name + " lists " + env + ", which is no setting");
    }
    if (problems.isEmpty() && !current.equals(table)) {
      problems.add(
          "README section "
              + name
              + " differs from the settings (defaults, allowed values or docs);"
              + " run the docs test with -Dupdate=true to rewrite it");
    }
    return problems;
  }
}
