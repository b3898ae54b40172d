package io.tracklane.backoffice.common;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/**
 * The migration step on AWS: a Lambda the deployment invokes once per release (before traffic moves
 * to the new handlers). Applying is idempotent and serialised by an advisory lock, so a retried or
 * concurrent invocation is harmless. Locally the stack applies migrations at start.
 */
public final class MigrationHandler
    implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final BackofficeContext ctx;

  public MigrationHandler() {
    this(BackofficeContext.fromEnv());
  }

  public MigrationHandler(BackofficeContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    int applied = Migrations.apply(ctx.db());
    int latest = Migrations.onClasspath().get(Migrations.onClasspath().size() - 1).version();
    return Map.of("applied", applied, "schemaVersion", latest);
  }
}
