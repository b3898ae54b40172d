package io.tracklane.backoffice.reports;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.ApiHandler;
import io.tracklane.backoffice.common.ApiRequest;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.FieldError;
import io.tracklane.backoffice.common.Responses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code reports} function: request a week's or a month's report on demand ({@code POST
 * /reports}, e.g. after a correction: 202 at once, the report generating), list reports
 * (generating, ready or failed), and hand out short-lived download links. The generation itself
 * runs elsewhere ({@link ReportJobs}: the {@code report_generator} function on AWS), since API
 * Gateway ends a request at 29 s. Thin: parsing and shaping here, SQL and S3 in {@link
 * ReportService}. Who may call is {@code Permissions}' decision (managers and admins), made by the
 * authorizer and checked again by {@code ApiHandler}.
 */
public class ReportsHandler extends ApiHandler {
  private static final Set<String> INPUT_FIELDS = Set.of("periodType", "start");
  private static final Set<String> LIST_PARAMS = Set.of("periodType", "limit", "cursor");

  private final BackofficeContext ctx;
  private final ReportService reports;
  private final ReportJobs jobs;

  /** Lambda entry point: the init phase builds the shared context and the S3 clients. */
  public ReportsHandler() {
    this(BackofficeContext.fromEnv());
  }

  /**
   * Settings and S3 clients from the context's configuration ({@code TRACKLANE_REPORTS_BUCKET}, …);
   * generations go to {@code TRACKLANE_REPORT_GENERATOR_FUNCTION}, or to a worker thread of this
   * process when it is empty (local-api).
   */
  public ReportsHandler(BackofficeContext ctx) {
    this(ctx, ReportService.create(ctx));
  }

  private ReportsHandler(BackofficeContext ctx, ReportService reports) {
    this(ctx, reports, jobsFor(ctx, reports));
  }

  /** With a given service and place to generate (tests). */
  public ReportsHandler(BackofficeContext ctx, ReportService reports, ReportJobs jobs) {
    this.ctx = ctx;
    this.reports = reports;
    this.jobs = jobs;
    on("POST", "/reports", this::generate);
    on("GET", "/reports", this::list);
    on("GET", "/reports/{reportId}/download", this::download);
  }

  private static ReportJobs jobsFor(BackofficeContext ctx, ReportService reports) {
    String function = reports.settings().generatorFunction();
    if (function.isEmpty()) {
      // a Lambda is frozen once it has answered: a worker thread there would never finish
      if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null) {
        throw new IllegalStateException(
            ReportSettings.GENERATOR_FUNCTION.env()
                + " is required on Lambda: the report_generator function POST /reports invokes");
      }
      return new WorkerReportJobs(new ReportGeneratorHandler(reports)::generate);
    }
    return LambdaReportJobs.create(ctx.config().get(BackofficeSettings.AWS_REGION), function);
  }

  public ReportService service() {
    return reports;
  }

  /** Where this handler's generations run. */
  public ReportJobs jobs() {
    return jobs;
  }

  /**
   * 202 with the report generating (a period that has a report keeps its id, and its files until
   * the new ones replace them); a period already generating answers the same without starting
   * another run. 503 when the generator could not be started (the report then says so).
   */
  private APIGatewayProxyResponseEvent generate(ApiRequest request) {
    JsonObject body = request.jsonBody();
    List<FieldError> errors = new ArrayList<>();
    for (String name : body.fieldNames()) {
      if (!INPUT_FIELDS.contains(name))
        errors.add(new FieldError(name, "is not a known field (periodType, start)"));
    }
    ReportPeriod period =
        ReportPeriod.parse(
            body.getValue("periodType"),
            body.getValue("start"),
            reports.settings().businessZone(),
            ctx.clock().instant(),
            errors);
    throwIfInvalid(errors);
    ReportService.Requested requested = reports.request(period, request.caller().userId());
    Report report = requested.report();
    if (requested.started()) {
      try {
        jobs.start(report.id());
      } catch (RuntimeException e) {
        reports.failToStart(report, e);
        throw new ApiException(
            503,
            "unavailable",
            "the report generator could not be started; report "
                + report.id()
                + " is marked failed, try again later",
            List.of());
      }
    }
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(202)
        .withHeaders(
            Map.of("Content-Type", "application/json", "Location", "/reports/" + report.id()))
        .withBody(report.toJson().encode());
  }

  private APIGatewayProxyResponseEvent list(ApiRequest request) {
    List<FieldError> errors = new ArrayList<>();
    unknownParams(request, LIST_PARAMS, errors);
    String type = request.query("periodType").orElse(null);
    if (type != null && !ReportPeriod.TYPES.contains(type)) {
      errors.add(new FieldError("periodType", "must be one of " + ReportPeriod.TYPES));
    }
    int limit = ReportService.DEFAULT_LIMIT;
    String rawLimit = request.query("limit").orElse(null);
    if (rawLimit != null) {
      try {
        limit = Integer.parseInt(rawLimit);
        if (limit < 1 || limit > ReportService.MAX_LIMIT) {
          errors.add(new FieldError("limit", "must be between 1 and " + ReportService.MAX_LIMIT));
        }
      } catch (NumberFormatException e) {
        errors.add(
            new FieldError("limit", "must be an integer between 1 and " + ReportService.MAX_LIMIT));
      }
    }
    ReportService.Cursor after = null;
    String rawCursor = request.query("cursor").orElse(null);
    if (rawCursor != null) {
      try {
        after = ReportService.Cursor.decode(rawCursor);
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("cursor", "is not a cursor returned by GET /reports"));
      }
    }
    throwIfInvalid(errors);
    ReportService.Page page = reports.list(type, limit, after);
    JsonArray items = new JsonArray();
    page.items().forEach(r -> items.add(r.toJson()));
    JsonObject body = new JsonObject().put("items", items);
    if (page.nextCursor() != null) body.put("nextCursor", page.nextCursor());
    return Responses.ok(body);
  }

  private APIGatewayProxyResponseEvent download(ApiRequest request) {
    List<FieldError> errors = new ArrayList<>();
    unknownParams(request, Set.of("format"), errors);
    String format = request.query("format").orElse(null);
    if (format == null) {
      errors.add(new FieldError("format", "is required: one of " + Report.FORMATS));
    } else if (!Report.FORMATS.contains(format)) {
      errors.add(
          new FieldError("format", "must be one of " + Report.FORMATS + ", not '" + format + "'"));
    }
    String id = request.pathParam("reportId");
    if (id.length() > 64) errors.add(new FieldError("reportId", "must be at most 64 characters"));
    throwIfInvalid(errors);
    Report report = reports.get(id);
    ReportStorage.Link link = reports.download(report, format);
    return Responses.ok(
        new JsonObject()
            .put("reportId", report.id())
            .put("format", format)
            .put("fileName", report.fileName(format))
            .put("url", link.url())
            .put("expiresAt", link.expiresAt().toString()));
  }

  private static void unknownParams(
      ApiRequest request, Set<String> known, List<FieldError> errors) {
    Map<String, String> q = request.event().getQueryStringParameters();
    if (q == null) return;
    for (String name : q.keySet()) {
      if (!known.contains(name)) errors.add(new FieldError(name, "is not a known query parameter"));
    }
  }

  private static void throwIfInvalid(List<FieldError> errors) {
    if (errors.isEmpty()) return;
    String first = errors.get(0).field() + ": " + errors.get(0).message();
    throw ApiException.badRequest(
        errors.size() == 1 ? first : first + " (and " + (errors.size() - 1) + " more)", errors);
  }
}
