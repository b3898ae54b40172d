package io.tracklane.backoffice.localapi;

import java.util.List;

/**
 * The fragments cannot be merged; {@link #problems()} lists every reason, each naming its
 * fragment(s).
 */
public final class OpenApiMergeException extends IllegalArgumentException {
  private final List<String> problems;

  public OpenApiMergeException(List<String> problems) {
    super("cannot merge the OpenAPI fragments:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
