package io.tracklane.gateway.store;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The AWS SDK's async clients wrap a call's failure; the store code looks at what it wraps. */
final class AsyncFailures {
  private AsyncFailures() {}

  /** The failure inside any {@link CompletionException} / {@link ExecutionException} wrappers. */
  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
