package io.tracklane.core.config;

import java.util.List;

/** Settings that cannot be used: every bad variable, each problem naming its variable. */
public final class SettingsException extends IllegalArgumentException {
  private final List<String> problems;

  public SettingsException(List<String> problems) {
    super(
        problems.size() == 1
            ? problems.get(0)
            : problems.size() + " bad settings: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
