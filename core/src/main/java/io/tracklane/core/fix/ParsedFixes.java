package io.tracklane.core.fix;

import java.util.List;

/**
 * The outcome of parsing one payload: either fixes and no errors, or errors and no fixes (a payload
 * with any error is refused as a whole). Both lists are immutable.
 */
public record ParsedFixes(List<Fix> fixes, List<FixError> errors) {

  public ParsedFixes {
    fixes = List.copyOf(fixes);
    errors = List.copyOf(errors);
    if (!errors.isEmpty() && !fixes.isEmpty()) {
      throw new IllegalArgumentException("a refused payload carries no fixes");
    }
  }

  static ParsedFixes accepted(List<Fix> fixes) {
    return new ParsedFixes(fixes, List.of());
  }

  static ParsedFixes refused(List<FixError> errors) {
    return new ParsedFixes(List.of(), errors);
  }

  static ParsedFixes refused(FixError error) {
    return new ParsedFixes(List.of(), List.of(error));
  }

  /** True when the payload had no errors. */
  public boolean isValid() {
    return errors.isEmpty();
  }
}
