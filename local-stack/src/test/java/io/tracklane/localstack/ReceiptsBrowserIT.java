package io.tracklane.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's Receipts view in a real browser (Chromium driven by playwright-core from {@code
 * src/test/js/receipts.test.mjs}) against the whole local stack: a rider uploads a receipt through
 * the presigned form, the OCR function reads it, then the manager opens Receipts, sees the image
 * and the amount read, and corrects it; the API then holds the correction, audited.
 *
 * <p>The page is served from the working tree ({@code gateway/src/main/resources/dashboard}), so
 * the test exercises the current page without rebuilding the gateway; Leaflet comes from its webjar
 * as the gateway serves it. Outside CI the test is skipped when Chromium or Node.js is missing;
 * under {@code CI=true} it always runs.
 */
class ReceiptsBrowserIT {
  static final Path DASHBOARD_SOURCES =
      Path.of("../gateway/src/main/resources/dashboard").toAbsolutePath().normalize();
  static final Path SCREENSHOT = Path.of("target/receipts-review.png").toAbsolutePath();
  static final Path BROWSER_LOG = Path.of("target/receipts-browser.log").toAbsolutePath();
  static final Duration STEP = Duration.ofSeconds(60);

  static LocalStack stack;
  static Vertx webVertx;
  static String dashboardUrl;

  @BeforeAll
  static void start() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    assumeTrue(
        ci
            || (Files.isExecutable(DashboardBrowserIT.CHROMIUM)
                && DashboardBrowserIT.onPath("node")
                && Files.isDirectory(DASHBOARD_SOURCES)),
        "needs /usr/bin/chromium, Node.js and the gateway sources");
    stack = LocalStack.start(null, Map.of());
    ReceiptsStoryIT.stack = stack; // its API helpers (login, upload, polling) talk to this stack
    webVertx = Vertx.vertx();
    Router router = Router.router(webVertx);
    JsonObject config =
        new JsonObject()
            .put("apiUrl", stack.apiUrl())
            .put("liveUrl", "http://127.0.0.1:" + stack.gateway.httpPort() + "/v1/live")
            .putNull("tileUrl");
    router.get("/dashboard/config.json").handler(ctx -> ctx.json(config));
    router
        .route("/dashboard/vendor/leaflet/*")
        .handler(
            StaticHandler.create(
                "META-INF/resources/webjars/leaflet/" + leafletVersion() + "/dist"));
    router
        .route("/dashboard/*")
        .handler(
            StaticHandler.create(FileSystemAccess.ROOT, DASHBOARD_SOURCES.toString())
                .setIndexPage("index.html")
                .setCachingEnabled(false)
                .setMaxAgeSeconds(0));
    int port =
        webVertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS)
            .actualPort();
    dashboardUrl = "http://127.0.0.1:" + port + "/dashboard/";
  }

  @AfterAll
  static void stop() throws Exception {
    if (webVertx != null) webVertx.close().await(10, TimeUnit.SECONDS);
    if (stack != null) stack.close();
  }

  @Test
  void managerSeesTheImageAndCorrectsTheAmount() throws Exception {
    String taskId = stack.seeded.openTaskIds().get(0);
    String rider = ReceiptsStoryIT.login("rider1");
    ReceiptsStoryIT.ok(
        ReceiptsStoryIT.call("POST", "/tasks/" + taskId + "/claim", rider, null), 200);
    JsonObject grant =
        ReceiptsStoryIT.ok(
            ReceiptsStoryIT.call(
                "POST",
                "/tasks/" + taskId + "/receipts",
                rider,
                new JsonObject().put("contentType", "image/png")),
            201);
    String id = grant.getJsonObject("receipt").getString("id");
    ReceiptsStoryIT.postForm(
        grant.getJsonObject("upload"), "image/png", ReceiptsStoryIT.tillReceiptPng());
    JsonObject read = ReceiptsStoryIT.awaitRead(id, rider);
    assertEquals("12.34", read.getString("amount"), read.encode());

    DashboardBrowserIT.installBrowserDriver();
    Files.createDirectories(SCREENSHOT.getParent());
    Files.deleteIfExists(SCREENSHOT);
    ProcessBuilder pb =
        new ProcessBuilder("node", "receipts.test.mjs")
            .directory(DashboardBrowserIT.JS_DIR.toFile())
            .redirectErrorStream(true)
            .redirectOutput(BROWSER_LOG.toFile());
    pb.environment()
        .putAll(
            Map.of(
                "DASHBOARD_URL",
                dashboardUrl,
                "MANAGER_USERNAME",
                "manager",
                "MANAGER_PASSWORD",
                stack.seeded.passwords().get("manager"),
                "RECEIPT_ID",
                id,
                "AMOUNT",
                "12.34",
                "SCREENSHOT",
                SCREENSHOT.toString(),
                "CHROMIUM",
                DashboardBrowserIT.CHROMIUM.toString(),
                "STEP_TIMEOUT_MS",
                Long.toString(STEP.toMillis())));
    Process browser = pb.start();
    boolean ended = browser.waitFor(3 * STEP.toSeconds(), TimeUnit.SECONDS);
    if (!ended) browser.destroyForcibly();
    String log = Files.readString(BROWSER_LOG);
    assertTrue(
        ended && browser.exitValue() == 0 && log.contains("DONE"),
        "the browser script passes; its log:\n" + log);

    String manager = ReceiptsStoryIT.login("manager");
    JsonObject after =
        ReceiptsStoryIT.ok(ReceiptsStoryIT.call("GET", "/receipts/" + id, manager, null), 200);
    assertEquals("confirmed", after.getString("status"));
    assertEquals("12.40", after.getString("amount"));
    assertEquals("USD", after.getString("currency"));
    assertEquals("corrected in the browser test", after.getString("reviewNote"));
    assertTrue(Files.size(SCREENSHOT) > 10_000, "a real screenshot at " + SCREENSHOT);
  }

  static String leafletVersion() throws Exception {
    try (InputStream in =
        ReceiptsBrowserIT.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars.npm/leaflet/pom.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    }
  }
}
