package io.tracklane.loadtest;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.tracklane.backoffice.auth.AuthorizerHandler;
import io.tracklane.backoffice.localapi.LocalLambdaContext;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * One Lambda cold start of one back-office handler, in the fresh JVM this class is the main of. Run
 * by {@link BackofficeBenchmark}: {@code java -cp <cp> io.tracklane.loadtest.ColdStartProbe
 * <HandlerClass>} with the handler's environment ({@code TRACKLANE_PG_URL}, {@code
 * TRACKLANE_SIGNING_KEY}, {@code TRACKLANE_DYNAMODB_ENDPOINT}, {@code TRACKLANE_FIXES_TABLE}) plus
 * the probe's inputs: {@value #ADMIN_ID_ENV} and {@value #RIDER_ID_ENV} (user ids for the
 * authorizer context) and {@value #TOKEN_ENV} (an access token for the authorizer, minted by the
 * parent so that minting does not load and warm the JWT and Vert.x classes before the measured
 * phases).
 *
 * <ol>
 *   <li>init: load the handler class and call its public no-arg constructor, as the Lambda runtime
 *       does in the init phase ({@code BackofficeContext.fromEnv()}: the JDBC pool, the signing
 *       key, the AWS SDK client);
 *   <li>first invocation: one realistic {@code handleRequest} with the event API Gateway (or
 *       EventBridge) would send, and a check of the answer;
 *   <li>a second, identical invocation (what the first paid once: connections, class loading,
 *       interpreter).
 * </ol>
 *
 * <p>Nothing is touched before init except this class and the JDK: the management beans are read
 * only after the measurements. Prints one JSON line on stdout and exits (Vert.x and Netty threads
 * would otherwise keep the JVM alive); a failed check prints the reason on stderr and exits 1.
 */
public final class ColdStartProbe {
  static final String ADMIN_ID_ENV = "TRACKLANE_BENCH_ADMIN_ID";
  static final String RIDER_ID_ENV = "TRACKLANE_BENCH_RIDER_ID";
  static final String TOKEN_ENV = "TRACKLANE_BENCH_TOKEN";

  /** The output line starts with this, so the parent can tell it from anything a library prints. */
  static final String PREFIX = "{\"handler\":";

  static final String METHOD_ARN =
      "arn:aws:execute-api:us-east-1:123456789012:abcd123456/prod/GET/tasks";

  private ColdStartProbe() {}

  public static void main(String[] args) {
    long mainWallMs = System.currentTimeMillis();
    long mainNanos = System.nanoTime();
    if (args.length != 1) {
      System.err.println(
          "usage: ColdStartProbe <handler class, e.g. io.tracklane.backoffice.routes.RoutesHandler>");
      System.exit(2);
    }
    String className = args[0];
    try {
      Invocation invocation = invocationFor(className);

      long t0 = System.nanoTime();
      Object handler = Class.forName(className).getConstructor().newInstance();
      long t1 = System.nanoTime();
      invocation.invokeAndCheck(handler);
      long t2 = System.nanoTime();
      long doneWallMs = System.currentTimeMillis();
      long cpuMs = processCpuMs();
      invocation.invokeAndCheck(handler);
      long t3 = System.nanoTime();

      long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
      String simpleName = className.substring(className.lastIndexOf('.') + 1);
      System.out.println(
          String.format(
              Locale.ROOT,
              PREFIX
                  + "\"%s\",\"jvmStartToMainMs\":%d,\"initMs\":%.1f,\"firstInvokeMs\":%.1f,\"totalMs\":%d,"
                  + "\"secondInvokeMs\":%.1f,\"mainToDoneMs\":%.1f,\"cpuToDoneMs\":%d}",
              simpleName,
              mainWallMs - jvmStart,
              ms(t1 - t0),
              ms(t2 - t1),
              doneWallMs - jvmStart,
              ms(t3 - t2),
              ms(t2 - mainNanos),
              cpuMs));
      System.out.flush();
      System.exit(0);
    } catch (Throwable t) {
      System.err.println("cold start probe of " + className + " failed: " + t);
      t.printStackTrace(System.err);
      System.err.flush();
      System.exit(1);
    }
  }

  /**
   * CPU time of this process so far (all threads: main, JIT, GC), from {@code /proc/self/stat}
   * (utime + stime in clock ticks of 10 ms, Linux's USER_HZ); -1 where there is no procfs. Unlike
   * wall time, it hardly moves when other processes compete for the cores.
   */
  private static long processCpuMs() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    } catch (Exception e) {
      return -1;
    }
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }

  /** Builds the event (before the clock starts) and checks the answer. */
  private interface Invocation {
    void invokeAndCheck(Object handler) throws Exception;
  }

  private static Invocation invocationFor(String className) {
    String simple = className.substring(className.lastIndexOf('.') + 1);
    String adminId = require(ADMIN_ID_ENV);
    String riderId = require(RIDER_ID_ENV);
    switch (simple) {
      case "AuthHandler":
        return api(
            "GET", "/.well-known/jwks.json", null, "auth", body -> body.contains("\"keys\""));
      case "RoutesHandler":
        return api(
            "GET",
            "/routes",
            new String[] {adminId, "admin"},
            "routes",
            body -> body.contains("\"items\""));
      case "TasksHandler":
        return api(
            "GET",
            "/tasks",
            new String[] {riderId, "rider"},
            "tasks",
            body -> body.contains("\"items\""));
      case "ReceiptsHandler":
        return api(
            "GET",
            "/receipts",
            new String[] {adminId, "admin"},
            "receipts",
            body -> body.contains("\"items\""));
      case "ReportsHandler":
        return api(
            "GET",
            "/reports",
            new String[] {adminId, "admin"},
            "reports",
            body -> body.contains("\"items\""));
      case "AuthorizerHandler":
        {
          String token = require(TOKEN_ENV);
          return handler -> {
            APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
            event.setType("TOKEN");
            event.setAuthorizationToken("Bearer " + token);
            event.setMethodArn(METHOD_ARN);
            IamPolicyResponse policy = invoke(handler, event, "authorizer");
            Object userId = policy.getContext() == null ? null : policy.getContext().get("userId");
            if (!AuthorizerHandler.permits(policy, METHOD_ARN) || userId == null) {
              throw new IllegalStateException(
                  "authorizer did not allow GET /tasks for a valid token: "
                      + policy.getPolicyDocument());
            }
          };
        }
      case "TaskExpiryHandler":
        return handler -> {
          ScheduledEvent event =
              new ScheduledEvent()
                  .withId(UUID.randomUUID().toString())
                  .withVersion("0")
                  .withSource("aws.events")
                  .withDetailType("Scheduled Event")
                  .withAccount("123456789012")
                  .withRegion("us-east-1")
                  .withResources(List.of("arn:aws:events:us-east-1:123456789012:rule/task-expiry"))
                  .withDetail(Map.of());
          Map<String, Object> result = invoke(handler, event, "task-expiry");
          if (!(result.get("expired") instanceof Integer n) || n < 0) {
            throw new IllegalStateException("task-expiry answered " + result);
          }
        };
      default:
        throw new IllegalArgumentException("no probe event for " + className);
    }
  }

  /**
   * An API Gateway (REST) proxy event as it reaches the function after the authorizer allowed it.
   */
  private static Invocation api(
      String method, String resource, String[] caller, String function, Predicate<String> bodyOk) {
    return handler -> {
      var identity =
          new APIGatewayProxyRequestEvent.RequestIdentity()
              .withSourceIp("127.0.0.1")
              .withUserAgent("tracklane-cold-start-probe");
      long now = System.currentTimeMillis();
      var context =
          new APIGatewayProxyRequestEvent.ProxyRequestContext()
              .withAccountId("123456789012")
              .withApiId("abcd123456")
              .withStage("prod")
              .withResourceId("probe")
              .withResourcePath(resource)
              .withHttpMethod(method)
              .withPath("/prod" + resource)
              .withProtocol("HTTP/1.1")
              .withRequestId(UUID.randomUUID().toString())
              .withRequestTimeEpoch(now)
              .withDomainName("abcd123456.execute-api.us-east-1.amazonaws.com")
              .withIdentity(identity);
      if (caller != null) {
        Map<String, Object> authorizer = new LinkedHashMap<>();
        authorizer.put("userId", caller[0]);
        authorizer.put("role", caller[1]);
        authorizer.put("principalId", caller[0]);
        context.setAuthorizer(authorizer);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Accept", "application/json");
      headers.put("Host", "abcd123456.execute-api.us-east-1.amazonaws.com");
      if (caller != null) headers.put("Authorization", "Bearer probe");
      var event =
          new APIGatewayProxyRequestEvent()
              .withResource(resource)
              .withPath(resource)
              .withHttpMethod(method)
              .withHeaders(headers)
              .withRequestContext(context)
              .withIsBase64Encoded(false);
      APIGatewayProxyResponseEvent response = invoke(handler, event, function);
      Integer status = response.getStatusCode();
      String body = response.getBody() == null ? "" : response.getBody();
      if (status == null || status != 200 || !bodyOk.test(body)) {
        throw new IllegalStateException(
            method
                + " "
                + resource
                + " answered "
                + status
                + ": "
                + body.substring(0, Math.min(300, body.length())));
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static <I, O> O invoke(Object handler, I event, String function) {
    return ((RequestHandler<I, O>) handler)
        .handleRequest(
            event,
            new LocalLambdaContext(
                function, UUID.randomUUID().toString(), System.nanoTime() + 30_000_000_000L));
  }

  private static String require(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) throw new IllegalStateException(name + " is not set");
    return v;
  }
}
