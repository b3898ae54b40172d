package io.tracklane.backoffice.localapi;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.ApiHandler;
import io.tracklane.backoffice.common.Responses;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The back office on one machine: a Vert.x HTTP server that does what API Gateway (REST) and Lambda
 * do for the merged OpenAPI document. Per request: match the resource (literal segments before
 * parameters, like API Gateway; unknown path 404, other method 405, OPTIONS answers the CORS
 * preflight), run the Lambda authorizer for {@code tracklaneAuth} operations (cached per
 * Authorization header; 401/403), validate parameters and body (400 naming each field), build the
 * proxy event, invoke the operation's function on a worker thread with a timeout (504) and map its
 * proxy response back to HTTP.
 *
 * <pre>{@code
 * LocalApi api = LocalApi.builder(vertx)
 *     .openApi(FragmentCatalog.merged(loader, List.of("auth", "routes", "tasks"), MergeOptions.defaults()))
 *     .function("auth", authHandler).function("routes", routesHandler).function("tasks", tasksHandler)
 *     .authorizer(authorizerHandler)
 *     .build();
 * int port = api.listen("127.0.0.1", 8080).await();
 * System.out.println(api.routesTable());
 * }</pre>
 */
public final class LocalApi {
  private static final Logger log = LoggerFactory.getLogger(LocalApi.class);

  public static final Duration DEFAULT_FUNCTION_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_AUTHORIZER_TTL = Duration.ofSeconds(60);

  /** API Gateway's payload limit. */
  public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

  private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}/]*)}");
  private static final Pattern VERTX_PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The operations of one path template. */
  private record Resource(String path, Map<String, ApiOperation> byMethod) {
    String vertxPath() {
      return PATH_PARAM.matcher(path).replaceAll(m -> ":" + Matcher.quoteReplacement(m.group(1)));
    }

    List<String> methods() {
      return OpenApiMerger.METHODS.stream()
          .map(m -> m.toUpperCase(Locale.ROOT))
          .filter(byMethod::containsKey)
          .toList();
    }
  }

  private final Vertx vertx;
  private final Map<String, Object> document;
  private final List<ApiOperation> operations;
  private final List<Resource> resources;
  private final Map<
          String, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>>
      functions;
  private final Clock clock;
  private final Cors cors;
  private final FunctionInvoker invoker;
  private final LocalAuthorizer authorizer;
  private HttpServer server;

  private LocalApi(Builder b, List<ApiOperation> operations, Duration authorizerTtl) {
    this.vertx = b.vertx;
    this.document = b.document;
    this.operations = List.copyOf(operations);
    this.functions = Map.copyOf(b.functions);
    this.clock = b.clock;
    this.cors = new Cors(b.allowedOrigins, b.corsAllowHeaders, b.corsMaxAgeSeconds);
    this.invoker = new FunctionInvoker(vertx, b.functionTimeout);
    this.authorizer =
        b.authorizer == null
            ? null
            : new LocalAuthorizer(b.authorizer, invoker, new AuthorizerCache(clock, authorizerTtl));
    Map<String, Map<String, ApiOperation>> byPath = new LinkedHashMap<>();
    for (ApiOperation op : operations) {
      byPath.computeIfAbsent(op.path(), p -> new LinkedHashMap<>()).put(op.method(), op);
    }
    List<Resource> list = new ArrayList<>();
    byPath.forEach((path, ops) -> list.add(new Resource(path, ops)));
    list.sort(Comparator.comparing(Resource::path, LocalApi::compareTemplates));
    this.resources = List.copyOf(list);
  }

  public static Builder builder(Vertx vertx) {
    return new Builder(vertx);
  }

  /** The served operations, in routing order. */
  public List<ApiOperation> operations() {
    return operations;
  }

  /** One line per operation: {@code METHOD PATH -> function (auth)}, sorted by path then method. */
  public String routesTable() {
    int pathWidth = operations.stream().mapToInt(o -> o.path().length()).max().orElse(4);
    int fnWidth = operations.stream().mapToInt(o -> o.function().length()).max().orElse(8);
    StringBuilder sb = new StringBuilder();
    operations.stream()
        .sorted(
            Comparator.comparing(ApiOperation::path)
                .thenComparing(
                    o -> OpenApiMerger.METHODS.indexOf(o.method().toLowerCase(Locale.ROOT))))
        .forEach(
            o ->
                sb.append(
                    String.format(
                        Locale.ROOT,
                        "%-7s %-" + pathWidth + "s -> %-" + fnWidth + "s %s%n",
                        o.method(),
                        o.path(),
                        o.function(),
                        o.secured() ? "(" + OpenApiMerger.SECURITY_SCHEME + ")" : "(public)")));
    return sb.toString();
  }

  /**
   * Checks the document (OpenAPI 3.0 schema, $refs), compiles the validators and starts serving;
   * the port actually bound (pass 0 for a free one).
   */
  public Future<Integer> listen(String host, int port) {
    if (server != null) return Future.failedFuture(new IllegalStateException("already listening"));
    JsonObject contract = OpenApiYaml.toJson(document);
    return RequestValidation.compile(vertx, contract, operations)
        .compose(
            validations -> {
              HttpServer s = vertx.createHttpServer();
              server = s;
              return s.requestHandler(router(validations)).listen(port, host);
            })
        .map(
            s -> {
              log.info(
                  "local-api listening on http://{}:{}\n{}", host, s.actualPort(), routesTable());
              return s.actualPort();
            });
  }

  public Future<Void> close() {
    invoker.close();
    return server == null ? Future.succeededFuture() : server.close();
  }

  private Router router(Map<String, RequestValidation> validations) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    for (Resource r : resources) {
      router.route(r.vertxPath()).handler(ctx -> handle(ctx, r, validations));
    }
    router
        .route()
        .handler(
            ctx ->
                writeError(
                    ctx,
                    UUID.randomUUID().toString(),
                    new ApiException(
                        404, "not_found", "no resource " + ctx.request().path(), List.of())));
    router
        .route()
        .failureHandler(
            ctx -> {
              String requestId = UUID.randomUUID().toString();
              if (ctx.statusCode() == 413) {
                writeError(
                    ctx,
                    requestId,
                    new ApiException(
                        413,
                        "payload_too_large",
                        "the body is larger than " + MAX_BODY_BYTES + " bytes",
                        List.of()));
              } else {
                log.error(
                    "request {} {} failed",
                    ctx.request().method(),
                    ctx.request().path(),
                    ctx.failure());
                writeError(
                    ctx,
                    requestId,
                    new ApiException(500, "internal_error", "local-api failed", List.of()));
              }
            });
    return router;
  }

  private void handle(
      RoutingContext ctx, Resource resource, Map<String, RequestValidation> validations) {
    String method = ctx.request().method().name();
    String requestId = UUID.randomUUID().toString();
    String origin = ctx.request().getHeader("Origin");
    if (method.equals("OPTIONS")) {
      MultiMap headers = cors.preflight(origin, resource.methods());
      HttpServerResponse res = ctx.response().setStatusCode(200);
      res.headers().addAll(headers);
      res.end();
      return;
    }
    ApiOperation op = resource.byMethod().get(method);
    if (op == null) {
      ctx.response().putHeader("Allow", String.join(",", resource.methods()) + ",OPTIONS");
      writeError(
          ctx,
          requestId,
          new ApiException(
              405,
              "method_not_allowed",
              method + " is not defined for " + resource.path(),
              List.of()));
      return;
    }
    long started = System.nanoTime();
    MultiMap query;
    try {
      query = ctx.queryParams();
    } catch (IllegalArgumentException e) {
      writeError(ctx, requestId, ApiException.badRequest("the query string is malformed"));
      return;
    }
    Buffer body = ctx.body().buffer();
    IncomingRequest in =
        new IncomingRequest(
            requestId,
            clock.millis(),
            op,
            ctx.request().path(),
            new LinkedHashMap<>(ctx.pathParams()),
            ctx.request().headers(),
            query,
            body == null ? Buffer.buffer() : body,
            ctx.request().remoteAddress() == null
                ? "127.0.0.1"
                : ctx.request().remoteAddress().hostAddress());

    Future<Map<String, Object>> authorized =
        op.secured() ? authorizer.authorize(in) : Future.succeededFuture(null);
    authorized
        .compose(
            authContext -> {
              validations.get(op.key()).validate(in);
              APIGatewayProxyRequestEvent event = ProxyEvents.request(in, authContext);
              return invoker.invoke(op.function(), functions.get(op.function()), event);
            })
        .onComplete(
            ar -> {
              int status;
              if (ar.succeeded()) {
                ProxyEvents.HttpReply reply;
                try {
                  reply = ProxyEvents.reply(ar.result());
                } catch (ProxyEvents.MalformedResponseException e) {
                  log.error(
                      "request {}: function {} returned a malformed response: {}",
                      requestId,
                      op.function(),
                      e.getMessage());
                  reply =
                      ProxyEvents.reply(
                          Responses.error(502, "bad_gateway", e.getMessage(), List.of()));
                }
                status = reply.status();
                write(ctx, requestId, reply);
              } else {
                ApiException error = toApiException(ar.cause(), op, requestId);
                status = error.status();
                writeError(ctx, requestId, error);
              }
              log.info(
                  "{} {} -> {} {} ({} ms)",
                  method,
                  ctx.request().path(),
                  op.function(),
                  status,
                  (System.nanoTime() - started) / 1_000_000);
            });
  }

  private ApiException toApiException(Throwable err, ApiOperation op, String requestId) {
    if (err instanceof ApiException e) return e;
    if (err instanceof FunctionTimeoutException e) {
      log.warn("request {}: {}", requestId, e.getMessage());
      return new ApiException(504, "timeout", e.getMessage(), List.of());
    }
    log.error("request {}: function {} failed", requestId, op.function(), err);
    return new ApiException(
        502,
        "bad_gateway",
        "function " + op.function() + " failed: " + err.getClass().getSimpleName(),
        List.of());
  }

  private void writeError(RoutingContext ctx, String requestId, ApiException error) {
    write(ctx, requestId, ProxyEvents.reply(Responses.error(error)));
  }

  private void write(RoutingContext ctx, String requestId, ProxyEvents.HttpReply reply) {
    HttpServerResponse res = ctx.response();
    if (res.ended() || res.closed()) return;
    res.setStatusCode(reply.status());
    res.headers().addAll(reply.headers());
    cors.decorate(ctx.request().getHeader("Origin"), res.headers());
    res.headers().set("x-amzn-RequestId", requestId);
    res.end(reply.body());
  }

  /** API Gateway's precedence: per segment, a literal beats a {parameter}. */
  static int compareTemplates(String a, String b) {
    String[] x = a.split("/", -1);
    String[] y = b.split("/", -1);
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean px = x[i].startsWith("{");
      boolean py = y[i].startsWith("{");
      if (px != py) return px ? 1 : -1;
      int c = x[i].compareTo(y[i]);
      if (c != 0) return c;
    }
    return Integer.compare(x.length, y.length);
  }

  /**
   * Configures a {@link LocalApi}; {@link #build()} checks the wiring and fails listing every
   * problem.
   */
  public static final class Builder {
    private final Vertx vertx;
    private Map<String, Object> document;
    private final Map<
            String, RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>>
        functions = new LinkedHashMap<>();
    private RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse> authorizer;
    private List<String> allowedOrigins = List.of("*");
    private List<String> corsAllowHeaders = MergeOptions.defaults().corsAllowHeaders();
    private int corsMaxAgeSeconds = MergeOptions.defaults().corsMaxAgeSeconds();
    private Clock clock = Clock.systemUTC();
    private Duration functionTimeout = DEFAULT_FUNCTION_TIMEOUT;
    private Duration authorizerTtl;

    private Builder(Vertx vertx) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
    }

    /**
     * The merged document ({@link OpenApiMerger}); operations carry {@code x-tracklane-function}.
     */
    public Builder openApi(Map<String, Object> document) {
      this.document = OpenApiYaml.normalizeMap(document);
      return this;
    }

    public Builder openApi(JsonObject document) {
      return openApi(document.getMap());
    }

    /** The handler of function {@code name} (the operations' {@code x-tracklane-function}). */
    public Builder function(
        String name,
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler) {
      functions.put(name, Objects.requireNonNull(handler, name));
      return this;
    }

    public Builder functions(
        Map<
                String,
                ? extends RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>>
            handlers) {
      handlers.forEach(this::function);
      return this;
    }

    /** The Lambda authorizer of {@code tracklaneAuth}. */
    public Builder authorizer(
        RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse> authorizer) {
      this.authorizer = authorizer;
      return this;
    }

    /** Origins whose browsers may call (default {@code *}: any). */
    public Builder allowedOrigins(List<String> origins) {
      this.allowedOrigins = List.copyOf(origins);
      return this;
    }

    public Builder corsAllowHeaders(List<String> headers) {
      this.corsAllowHeaders = List.copyOf(headers);
      return this;
    }

    public Builder corsMaxAgeSeconds(int seconds) {
      this.corsMaxAgeSeconds = seconds;
      return this;
    }

    /** Time of the authorizer cache and of requestContext.requestTimeEpoch. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Per invocation, like the Lambda timeout (default 30 s); past it the caller gets 504. */
    public Builder functionTimeout(Duration timeout) {
      this.functionTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Default: the document's authorizerResultTtlInSeconds, else 60 s; zero disables the cache. */
    public Builder authorizerTtl(Duration ttl) {
      this.authorizerTtl = ttl;
      return this;
    }

    public LocalApi build() {
      if (document == null) throw new IllegalStateException("openApi(document) is required");
      List<String> problems = new ArrayList<>();
      List<ApiOperation> ops = operations(document, problems);
      Set<String> used = new LinkedHashSet<>();
      for (ApiOperation op : ops) {
        used.add(op.function());
        if (!functions.containsKey(op.function())) {
          problems.add(op.key() + ": no handler for function " + op.function());
        }
      }
      if (authorizer == null && ops.stream().anyMatch(ApiOperation::secured)) {
        problems.add(
            "operations use " + OpenApiMerger.SECURITY_SCHEME + " but no authorizer is configured");
      }
      functions.forEach(
          (name, handler) -> {
            if (!used.contains(name))
              problems.add("function " + name + " has a handler but no operation");
            if (handler instanceof ApiHandler api) {
              Set<String> declared =
                  new LinkedHashSet<>(
                      ops.stream()
                          .filter(o -> o.function().equals(name))
                          .map(ApiOperation::key)
                          .toList());
              for (String key : declared) {
                if (!api.operations().contains(key)) {
                  problems.add(
                      "function "
                          + name
                          + " ("
                          + handler.getClass().getSimpleName()
                          + ") has no endpoint for "
                          + key
                          + ", which the OpenAPI document routes to it");
                }
              }
              for (String key : api.operations()) {
                if (!declared.contains(key)) {
                  problems.add(
                      "function "
                          + name
                          + " ("
                          + handler.getClass().getSimpleName()
                          + ") serves "
                          + key
                          + ", which the OpenAPI document does not route to it");
                }
              }
            }
          });
      if (!problems.isEmpty()) {
        throw new IllegalStateException(
            "local-api cannot serve this document:\n  - " + String.join("\n  - ", problems));
      }
      Duration ttl = authorizerTtl != null ? authorizerTtl : documentTtl(document);
      return new LocalApi(this, ops, ttl);
    }

    private static Duration documentTtl(Map<String, Object> doc) {
      Object ttl =
          at(
              doc,
              "components",
              "securitySchemes",
              OpenApiMerger.SECURITY_SCHEME,
              "x-amazon-apigateway-authorizer",
              "authorizerResultTtlInSeconds");
      return ttl instanceof Number n ? Duration.ofSeconds(n.longValue()) : DEFAULT_AUTHORIZER_TTL;
    }

    private static Object at(Map<String, Object> doc, String... keys) {
      Object cur = doc;
      for (String k : keys) {
        if (!(cur instanceof Map<?, ?> m)) return null;
        cur = m.get(k);
      }
      return cur;
    }

    private static List<ApiOperation> operations(Map<String, Object> doc, List<String> problems) {
      List<ApiOperation> ops = new ArrayList<>();
      Object global = doc.get("security");
      if (!(doc.get("paths") instanceof Map<?, ?> paths)) {
        problems.add("the document has no paths");
        return ops;
      }
      new TreeMap<>(OpenApiYaml.normalizeMap(paths))
          .forEach(
              (path, itemValue) -> {
                if (!(itemValue instanceof Map<?, ?> item)) return;
                Matcher params = PATH_PARAM.matcher(path);
                while (params.find()) {
                  if (!VERTX_PARAM_NAME.matcher(params.group(1)).matches()) {
                    problems.add(
                        path
                            + ": path parameter name '"
                            + params.group(1)
                            + "' must be letters, digits or _");
                  }
                }
                for (String method : OpenApiMerger.METHODS) {
                  if (method.equals("options") || !(item.get(method) instanceof Map<?, ?> op))
                    continue;
                  String key = method.toUpperCase(Locale.ROOT) + " " + path;
                  Object function = op.get(OpenApiMerger.FUNCTION_EXTENSION);
                  if (!(function instanceof String fn) || fn.isBlank()) {
                    problems.add(key + ": no " + OpenApiMerger.FUNCTION_EXTENSION);
                    continue;
                  }
                  Object security = op.containsKey("security") ? op.get("security") : global;
                  boolean secured = false;
                  if (security instanceof List<?> requirements) {
                    for (Object r : requirements) {
                      if (!(r instanceof Map<?, ?> req) || req.isEmpty()) continue;
                      if (req.keySet().equals(Set.of(OpenApiMerger.SECURITY_SCHEME))) {
                        secured = true;
                      } else {
                        problems.add(
                            key
                                + ": security "
                                + r
                                + " is not supported (only "
                                + OpenApiMerger.SECURITY_SCHEME
                                + ")");
                      }
                    }
                  }
                  ops.add(new ApiOperation(method.toUpperCase(Locale.ROOT), path, fn, secured));
                }
              });
      if (ops.isEmpty()) problems.add("the document has no operations");
      return ops;
    }
  }
}
