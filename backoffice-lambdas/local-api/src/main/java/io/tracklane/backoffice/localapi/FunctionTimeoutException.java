package io.tracklane.backoffice.localapi;

import java.time.Duration;

/**
 * A function ran longer than its timeout (Lambda would stop it; local-api abandons and interrupts
 * it).
 */
public final class FunctionTimeoutException extends RuntimeException {
  private final String function;

  public FunctionTimeoutException(String function, Duration timeout) {
    super(
        "function " + function + " did not finish within " + timeout.toMillis() + " ms",
        null,
        false,
        false);
    this.function = function;
  }

  public String function() {
    return function;
  }
}
