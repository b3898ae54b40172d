package io.tracklane.backoffice.localapi;

import io.tracklane.backoffice.auth.AuthHandler;
import io.tracklane.backoffice.auth.AuthorizerHandler;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.receipts.ReceiptsHandler;
import io.tracklane.backoffice.reports.ReportsHandler;
import io.tracklane.backoffice.routes.RoutesHandler;
import io.tracklane.backoffice.tasks.TasksHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;

/**
 * Every back-office function of this repository, hosted in process by {@link LocalApi} behind the
 * real authorizer and the merged OpenAPI — the same handlers, document and authorizer that API
 * Gateway gets on AWS. The units listed here are the ones merged into the deployed document.
 */
public final class LocalBackoffice {
  /** Business units with API operations, in merge order. */
  public static final List<String> UNITS =
      List.of("auth", "routes", "tasks", "receipts", "reports");

  private final LocalApi api;

  private LocalBackoffice(LocalApi api) {
    this.api = api;
  }

  /**
   * Builds the handlers once (like each Lambda's init phase) on a shared context; {@code vertx}
   * serves local-api's HTTP (the handlers themselves run on its worker threads, blocking, as in
   * Lambda).
   */
  public static LocalBackoffice create(Vertx vertx, BackofficeContext ctx) {
    Map<String, Object> doc =
        FragmentCatalog.merged(
            LocalBackoffice.class.getClassLoader(), UNITS, MergeOptions.defaults());
    LocalApi api =
        LocalApi.builder(vertx)
            .openApi(doc)
            .function("auth", new AuthHandler(ctx))
            .function("routes", new RoutesHandler(ctx))
            .function("tasks", new TasksHandler(ctx))
            .function("receipts", new ReceiptsHandler(ctx))
            .function("reports", new ReportsHandler(ctx))
            .authorizer(new AuthorizerHandler(ctx))
            .clock(ctx.clock())
            .build();
    return new LocalBackoffice(api);
  }

  public Future<Integer> listen(String host, int port) {
    return api.listen(host, port);
  }

  public String routesTable() {
    return api.routesTable();
  }

  public Future<Void> close() {
    return api.close();
  }
}
