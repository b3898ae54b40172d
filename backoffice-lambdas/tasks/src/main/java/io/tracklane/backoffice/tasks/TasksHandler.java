package io.tracklane.backoffice.tasks;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.ApiHandler;
import io.tracklane.backoffice.common.ApiRequest;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.FieldError;
import io.tracklane.backoffice.common.PageCursor;
import io.tracklane.backoffice.common.QueryParams;
import io.tracklane.backoffice.common.Responses;
import io.tracklane.backoffice.common.Validator;
import io.tracklane.core.fix.Fix;
import io.tracklane.core.progress.ProgressConfig;
import io.tracklane.core.progress.RouteGeometry;
import io.tracklane.core.progress.TrackReview;
import io.tracklane.fixestable.StoredFix;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The {@code tasks} function: tasks and their life cycle (the claim race, start, complete, release,
 * cancel, the expiry sweep), the audit trail, riders' earnings and a task's GPS track (from the
 * gateway's DynamoDB table). Thin: parsing and shaping here, SQL in {@link TaskService}. Which role
 * may call an operation is {@code Permissions}' decision (the authorizer's policy, checked again by
 * {@code ApiHandler}); this handler checks ownership and visibility.
 */
public class TasksHandler extends ApiHandler {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;
  public static final int DEFAULT_TRACK_LIMIT = 500;

  /** The longest track the arrival check replays: 100,000 fixes is 11 days at one per 10 s. */
  public static final int MAX_COMPLETION_FIXES = 100_000;

  public static final int MAX_TRACK_LIMIT = 1000;
  public static final int DEFAULT_EARNINGS_LIMIT = 100;
  public static final int MAX_EARNINGS_LIMIT = 500;

  /** Largest {@code radiusKm} of {@code GET /tasks?near=} (half the Earth's circumference). */
  public static final double MAX_RADIUS_KM = 20_038;

  private final BackofficeContext ctx;
  private final TaskService tasks;
  private final FixHistory fixes;
  private final RideEvidence.Settings rideChecks;
  private final long cadenceMs;

  /** Lambda entry point: the init phase builds the shared context and one DynamoDB client. */
  public TasksHandler() {
    this(BackofficeContext.fromEnv());
  }

  /**
   * Builds the DynamoDB client from the context's settings ({@code TRACKLANE_DYNAMODB_ENDPOINT},
   * {@code AWS_REGION}).
   */
  public TasksHandler(BackofficeContext ctx) {
    this(ctx, FixHistory.client(ctx.config()));
  }

  /**
   * With a given DynamoDB client (tests, local-api); the fixes table is {@code
   * TRACKLANE_FIXES_TABLE}.
   */
  public TasksHandler(BackofficeContext ctx, DynamoDbClient ddb) {
    this.ctx = ctx;
    this.tasks = new TaskService(ctx);
    this.fixes = new FixHistory(ddb, ctx.config().get(BackofficeSettings.FIXES_TABLE));
    this.rideChecks = RideEvidence.Settings.from(ctx.config());
    this.cadenceMs = ctx.config().get(TaskSettings.TRACK_CADENCE_SECONDS).toMillis();
    on("POST", "/tasks", this::create);
    on("GET", "/tasks", this::list);
    on("GET", "/tasks/{taskId}", this::get);
    on("POST", "/tasks/{taskId}/claim", r -> ok(tasks.claim(r.caller().userId(), taskId(r))));
    on("POST", "/tasks/{taskId}/release", r -> ok(tasks.release(r.caller().userId(), taskId(r))));
    on("POST", "/tasks/{taskId}/start", r -> ok(tasks.start(r.caller().userId(), taskId(r))));
    on("POST", "/tasks/{taskId}/complete", this::complete);
    on("POST", "/tasks/{taskId}/cancel", this::cancel);
    on("POST", "/tasks/{taskId}/approve", this::approve);
    on("POST", "/tasks/{taskId}/reject", this::reject);
    on(
        "POST",
        "/tasks/expire",
        r -> Responses.ok(new JsonObject().put("expired", tasks.expireDue())));
    on("GET", "/tasks/{taskId}/events", this::events);
    on("GET", "/tasks/{taskId}/track", this::track);
    on("GET", "/riders/me/tasks", this::myTasks);
    on("GET", "/riders/me/earnings", r -> earnings(r, r.caller().userId()));
    on("GET", "/riders/{riderId}/earnings", r -> earnings(r, r.pathParam("riderId")));
  }

  public TaskService service() {
    return tasks;
  }

  // --- operations ----------------------------------------------------------------------------

  private APIGatewayProxyResponseEvent create(ApiRequest request) {
    Caller caller = request.caller();
    NewTask in = NewTask.parse(request.jsonBody(), ctx.clock().instant());
    Task task = tasks.create(caller.userId(), in);
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(201)
        .withHeaders(Map.of("Content-Type", "application/json", "Location", "/tasks/" + task.id()))
        .withBody(task.toJson().encode());
  }

  /**
   * One task; a completed or held one carries its stored ride ({@code completion}). Its {@code
   * trackCompleteness} ({@link TrackCompleteness}) is the one stored at completion, or, for a ride
   * in progress, judged now from the fixes table up to now.
   */
  private APIGatewayProxyResponseEvent get(ApiRequest request) {
    Task task = tasks.get(request.caller(), taskId(request));
    JsonObject json = task.toJson();
    if (Task.COMPLETED.equals(task.status()) || Task.NEEDS_REVIEW.equals(task.status())) {
      JsonObject ride = tasks.completion(task.id());
      if (ride != null) json.put("completion", ride);
      JsonObject completeness = tasks.storedCompleteness(task.id());
      if (completeness != null) json.put("trackCompleteness", completeness);
    } else if (Task.IN_PROGRESS.equals(task.status()) && task.startedAt() != null) {
      List<StoredFix> track = fixes.all(task.id(), MAX_COMPLETION_FIXES);
      if (track != null) {
        json.put(
            "trackCompleteness",
            TrackCompleteness.of(
                    track, task.startedAt().toEpochMilli(), ctx.clock().millis(), cadenceMs, true)
                .toJson());
      }
    }
    return Responses.ok(json);
  }

  /** The completeness of a ride being completed: from its start to when completion was asked. */
  private TrackCompleteness completeness(List<StoredFix> track, CompletionTarget target) {
    long to = target.askedAt().toEpochMilli();
    long from =
        target.startedAt() != null
            ? target.startedAt().toEpochMilli()
            : track.isEmpty() ? to : track.get(0).ts();
    return TrackCompleteness.of(track, from, to, cadenceMs, false);
  }

  private APIGatewayProxyResponseEvent list(ApiRequest request) {
    Caller caller = request.caller();
    QueryParams q = new QueryParams(request);
    String status = q.oneOf("status", Task.STATUSES);
    double[] near = q.latLon("near");
    Double radius = q.number("radiusKm", 0, MAX_RADIUS_KM);
    if (q.has("near") && !q.has("radiusKm")) q.error("radiusKm", "is required with near");
    if (q.has("radiusKm") && !q.has("near")) q.error("near", "is required with radiusKm");
    int limit = q.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    PageCursor.TimeKey after =
        q.cursor("cursor", c -> PageCursor.TimeKey.decode(c, PageCursor.TASKS), "GET /tasks");
    q.throwIfInvalid();
    return page(tasks.list(caller, new TaskFilter(status, near, radius, limit, after, null)));
  }

  private APIGatewayProxyResponseEvent myTasks(ApiRequest request) {
    Caller caller = request.caller();
    QueryParams q = new QueryParams(request);
    String status = q.oneOf("status", Task.STATUSES);
    int limit = q.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    PageCursor.TimeKey after =
        q.cursor(
            "cursor", c -> PageCursor.TimeKey.decode(c, PageCursor.TASKS), "GET /riders/me/tasks");
    q.throwIfInvalid();
    return page(
        tasks.list(caller, new TaskFilter(status, null, null, limit, after, caller.userId())));
  }

  /**
   * Completion checks the ride first: the task's stored track, only the fixes timed between its
   * start and now (with the clock skew allowance, {@link RideEvidence}), is replayed through the
   * progress engine; it counts as arrived when the last fix is within the end's radius and every
   * checkpoint was reached. Otherwise 409 naming what is missing — unless an admin gives an {@code
   * overrideReason}. An arrived ride that was uploaded in a burst after the fact is held: 202 with
   * the task in needs_review, no bonus until an admin approves. The ride (distance, active time,
   * checkpoint times) is stored for reports.
   */
  private APIGatewayProxyResponseEvent complete(ApiRequest request) {
    Caller caller = request.caller();
    String taskId = taskId(request);
    String overrideReason = null;
    String raw = request.event().getBody();
    if (raw != null && !raw.isBlank()) {
      JsonObject body = request.jsonBody();
      Validator v = new Validator(body);
      for (String name : body.fieldNames()) {
        if (!"overrideReason".equals(name)) v.error(name, "is not a known field");
      }
      overrideReason = v.string("overrideReason", false, TaskService.MAX_CANCEL_REASON);
      v.throwIfInvalid();
    }
    if (overrideReason != null && !caller.isAdmin()) {
      throw ApiException.forbidden("only an admin may override the arrival check (overrideReason)");
    }
    CompletionTarget target = tasks.completionTarget(caller, taskId);
    List<StoredFix> track = fixes.all(taskId, MAX_COMPLETION_FIXES);
    if (track == null) {
      throw ApiException.conflict(
          "task "
              + taskId
              + " has more than "
              + MAX_COMPLETION_FIXES
              + " fixes; the arrival check cannot replay it (an admin may complete it with an overrideReason)");
    }
    RideEvidence evidence =
        RideEvidence.of(track, target.startedAt(), target.askedAt(), rideChecks);
    TrackReview review =
        TrackReview.of(
            taskId,
            RouteGeometry.fromGeoJson(target.routeId(), target.geometry(), target.checkpoints()),
            ProgressConfig.DEFAULTS,
            evidence.counted());
    if (!review.arrived() && overrideReason == null) {
      List<String> shortfalls = new ArrayList<>(review.shortfalls());
      if (evidence.ignoredNote() != null) shortfalls.add(evidence.ignoredNote());
      List<FieldError> why = shortfalls.stream().map(s -> new FieldError("arrival", s)).toList();
      throw new ApiException(
          409,
          "not_arrived",
          "task " + taskId + " cannot be completed yet: " + String.join("; ", shortfalls),
          why);
    }
    if (evidence.burst() && overrideReason == null) {
      Task held =
          tasks.holdForReview(caller, target, review, evidence, completeness(track, target));
      return Responses.json(
          202,
          held.toJson()
              .put("completion", review.toJson())
              .put(
                  "review",
                  new JsonObject()
                      .put("reasons", new JsonArray(new ArrayList<>(evidence.reasons())))
                      .put("rideCheck", evidence.toJson())));
    }
    Task task =
        tasks.complete(
            caller, target, review, evidence, completeness(track, target), overrideReason);
    return Responses.ok(
        task.toJson()
            .put(
                "completion",
                review
                    .toJson()
                    .put("overrideReason", overrideReason)
                    .put("overriddenBy", overrideReason == null ? null : caller.userId())));
  }

  /**
   * A held completion (needs_review) approved by an admin: completed, the bonus credited. Optional
   * {note}.
   */
  private APIGatewayProxyResponseEvent approve(ApiRequest request) {
    String note = null;
    String raw = request.event().getBody();
    if (raw != null && !raw.isBlank()) {
      JsonObject body = request.jsonBody();
      Validator v = new Validator(body);
      for (String name : body.fieldNames()) {
        if (!"note".equals(name)) v.error(name, "is not a known field");
      }
      note = v.string("note", false, TaskService.MAX_CANCEL_REASON);
      v.throwIfInvalid();
    }
    return ok(tasks.approve(request.caller().userId(), taskId(request), note));
  }

  /** A held completion (needs_review) rejected by an admin with a {reason}: cancelled, no bonus. */
  private APIGatewayProxyResponseEvent reject(ApiRequest request) {
    return ok(tasks.reject(request.caller().userId(), taskId(request), reason(request)));
  }

  private APIGatewayProxyResponseEvent cancel(ApiRequest request) {
    return ok(tasks.cancel(request.caller().userId(), taskId(request), reason(request)));
  }

  /**
   * The body {reason} of cancel and reject: required, at most {@link TaskService#MAX_CANCEL_REASON}
   * characters.
   */
  private static String reason(ApiRequest request) {
    JsonObject body = request.jsonBody();
    Validator v = new Validator(body);
    for (String name : body.fieldNames()) {
      if (!"reason".equals(name)) v.error(name, "is not a known field");
    }
    String reason = v.string("reason", true, TaskService.MAX_CANCEL_REASON);
    v.throwIfInvalid();
    return reason;
  }

  private APIGatewayProxyResponseEvent events(ApiRequest request) {
    JsonArray items = new JsonArray();
    tasks.events(taskId(request)).forEach(e -> items.add(e.toJson()));
    return Responses.ok(new JsonObject().put("items", items));
  }

  private APIGatewayProxyResponseEvent earnings(ApiRequest request, String riderId) {
    QueryParams q = new QueryParams(request);
    int limit = q.integer("limit", DEFAULT_EARNINGS_LIMIT, 1, MAX_EARNINGS_LIMIT);
    PageCursor.TimeKey after =
        q.cursor("cursor", c -> PageCursor.TimeKey.decode(c, PageCursor.LEDGER), "this operation");
    q.throwIfInvalid();
    return Responses.ok(tasks.earnings(riderId, limit, after).toJson());
  }

  private APIGatewayProxyResponseEvent track(ApiRequest request) {
    Caller caller = request.caller();
    String taskId = taskId(request);
    QueryParams q = new QueryParams(request);
    Long from = q.epochMillis("from");
    Long to = q.epochMillis("to");
    if (from != null && to != null && from > to) q.error("to", "must not be before from");
    int limit = q.integer("limit", DEFAULT_TRACK_LIMIT, 1, MAX_TRACK_LIMIT);
    Long afterTs =
        q.cursor("cursor", c -> trackCursor(c, taskId), "GET /tasks/{taskId}/track for this task");
    q.throwIfInvalid();
    tasks.requireTrackAccess(caller, taskId);
    FixHistory.Page page =
        fixes.query(
            taskId, from == null ? 0 : from, to == null ? Long.MAX_VALUE : to, limit, afterTs);
    JsonArray items = new JsonArray();
    for (Fix f : page.fixes()) items.add(f.toJson());
    JsonObject body = new JsonObject().put("taskId", taskId).put("fixes", items);
    if (page.nextAfterTs() != null) {
      body.put(
          "nextCursor",
          PageCursor.encode(PageCursor.TRACK, taskId, Long.toString(page.nextAfterTs())));
    }
    return Responses.ok(body);
  }

  // --- helpers -------------------------------------------------------------------------------

  /** The ts a track cursor continues after; the cursor must belong to this task. */
  private static Long trackCursor(String text, String taskId) {
    List<String> p = PageCursor.decode(text, PageCursor.TRACK, 2);
    if (!p.get(0).equals(taskId)) throw new IllegalArgumentException("cursor of another task");
    try {
      return Long.parseLong(p.get(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a cursor");
    }
  }

  private static String taskId(ApiRequest request) {
    return request.pathParam("taskId");
  }

  private static APIGatewayProxyResponseEvent ok(Task task) {
    return Responses.ok(task.toJson());
  }

  private static APIGatewayProxyResponseEvent page(Page<Task> page) {
    JsonArray items = new JsonArray();
    page.items().forEach(t -> items.add(t.toJson()));
    JsonObject body = new JsonObject().put("items", items);
    if (page.nextCursor() != null) body.put("nextCursor", page.nextCursor());
    return Responses.ok(body);
  }
}
