package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.web.WebRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the gateway's {@link WebRoutes} serves from this module, without a browser: the pages and
 * their shared modules from the classpath (the web jar) or from a folder (TRACKLANE_WEB_ROOT),
 * Leaflet, the config, and the strict Content-Security-Policy on every response.
 */
class WebRoutesTest {
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  static final Path SOURCES = Path.of("src/main/resources/webroot").toAbsolutePath();
  static Vertx vertx;
  static String base;
  static String tiled;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    WebRoutes.mount(router, "http://127.0.0.1:8081/", null);
    base = listen(router);
    Router other = Router.router(vertx);
    WebRoutes.mount(
        other,
        "http://127.0.0.1:8081",
        "http://127.0.0.1:9090/v1/live",
        "https://tiles.example.org/{z}/{x}/{y}.png",
        null);
    tiled = listen(other);
  }

  static String listen(Router router) throws Exception {
    return "http://127.0.0.1:"
        + vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS)
            .actualPort();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse("");
  }

  @Test
  void servesTheDashboardAndTheSharedModulesWithAStrictPolicy() throws Exception {
    HttpResponse<String> index = get(base + "/dashboard/");
    assertEquals(200, index.statusCode());
    assertTrue(header(index, "Content-Type").startsWith("text/html"), index.headers().toString());
    assertTrue(index.body().contains("data-testid=\"login-form\""), "the sign-in form");
    assertTrue(
        index.body().contains("<script type=\"module\" src=\"app.js\">"), "app.js as an ES module");
    String csp = header(index, "Content-Security-Policy");
    assertTrue(csp.startsWith("default-src 'self';"), csp);
    assertTrue(csp.contains("script-src 'self';"), "scripts from this server only: " + csp);
    assertFalse(csp.contains("unsafe-inline"), "no inline script or style: " + csp);
    assertFalse(csp.contains("unsafe-eval"), "no eval: " + csp);
    assertTrue(csp.contains("object-src 'none'"), csp);
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    assertTrue(
        csp.contains("connect-src 'self' http://127.0.0.1:8081;"), "the API may be called: " + csp);
    assertEquals("nosniff", header(index, "X-Content-Type-Options"));
    assertEquals("no-referrer", header(index, "Referrer-Policy"));

    for (String module :
        new String[] {
          "/dashboard/app.js",
          "/dashboard/receipts.js",
          "/dashboard/reports.js",
          "/shared/dom.js",
          "/shared/api.js",
          "/shared/gcj02.js"
        }) {
      HttpResponse<String> js = get(base + module);
      assertEquals(200, js.statusCode(), module);
      assertTrue(header(js, "Content-Type").contains("javascript"), module + ": " + js.headers());
      assertEquals(csp, header(js, "Content-Security-Policy"), module);
    }
    HttpResponse<String> css = get(base + "/dashboard/style.css");
    assertEquals(200, css.statusCode());
    assertTrue(header(css, "Content-Type").startsWith("text/css"));
  }

  @Test
  void servesLeafletFromTheWebjar() throws Exception {
    HttpResponse<String> esm = get(base + "/vendor/leaflet/leaflet-src.esm.js");
    assertEquals(200, esm.statusCode());
    assertTrue(header(esm, "Content-Type").contains("javascript"));
    assertTrue(esm.body().contains("export {"), "Leaflet's ES module build");
    assertTrue(header(esm, "Content-Security-Policy").contains("script-src 'self'"));
    assertEquals(200, get(base + "/vendor/leaflet/leaflet.css").statusCode());
    assertEquals(404, get(base + "/vendor/leaflet/").statusCode(), "no directory listing");
    assertEquals(404, get(base + "/shared/").statusCode(), "no directory listing");
    assertEquals(404, get(base + "/vendor/leaflet/../../../../META-INF/MANIFEST.MF").statusCode());
    assertEquals(404, get(base + "/../../META-INF/MANIFEST.MF").statusCode());
  }

  @Test
  void configTellsThePagesWhereTheApiTheStreamAndTheTilesAre() throws Exception {
    for (String path : new String[] {"/config.json", "/dashboard/config.json"}) {
      HttpResponse<String> res = get(base + path);
      assertEquals(200, res.statusCode(), path);
      assertEquals("no-store", header(res, "Cache-Control"));
      JsonObject config = new JsonObject(res.body());
      assertEquals("http://127.0.0.1:8081", config.getString("apiUrl"), "trailing slash trimmed");
      assertEquals("/v1/live", config.getString("liveUrl"));
      assertTrue(
          config.containsKey("tileUrl") && config.getValue("tileUrl") == null,
          "no tiles by default: " + res.body());
    }
    JsonObject other = new JsonObject(get(tiled + "/config.json").body());
    assertEquals("http://127.0.0.1:9090/v1/live", other.getString("liveUrl"));
    assertEquals("https://tiles.example.org/{z}/{x}/{y}.png", other.getString("tileUrl"));
    String csp = header(get(tiled + "/dashboard/"), "Content-Security-Policy");
    assertTrue(
        csp.contains("connect-src 'self' http://127.0.0.1:8081 http://127.0.0.1:9090;"), csp);
  }

  @Test
  void redirectsTheBarePathAndAnswers404ForWhatIsNotThere() throws Exception {
    HttpResponse<String> bare = get(base + "/dashboard");
    assertEquals(302, bare.statusCode());
    assertEquals("/dashboard/", header(bare, "Location"));
    assertEquals(404, get(base + "/dashboard/nope.js").statusCode());
    assertEquals(404, get(base + "/nope/").statusCode());
    assertNotEquals(200, get(base + "/v1/live").statusCode(), "only files of the web root");
  }

  @Test
  void servesTheRiderAppInstallableUnderThePolicy() throws Exception {
    for (String app : new String[] {"/rider", "/admin"}) {
      HttpResponse<String> bare = get(base + app);
      assertEquals(302, bare.statusCode(), app);
      assertEquals(app + "/", header(bare, "Location"));
    }
    HttpResponse<String> index = get(base + "/rider/");
    assertEquals(200, index.statusCode());
    assertTrue(index.body().contains("<link rel=\"manifest\" href=\"manifest.json\">"));
    String csp = header(index, "Content-Security-Policy");
    assertTrue(csp.contains("worker-src 'self'"), "the service worker from here only: " + csp);
    assertTrue(csp.contains("manifest-src 'self'"), csp);
    HttpResponse<String> manifest = get(base + "/rider/manifest.json");
    assertEquals(200, manifest.statusCode());
    JsonObject m = new JsonObject(manifest.body());
    assertEquals("standalone", m.getString("display"));
    for (Object icon : m.getJsonArray("icons")) {
      String src = ((JsonObject) icon).getString("src");
      HttpResponse<String> png = get(base + "/rider/" + src);
      assertEquals(200, png.statusCode(), src);
      assertEquals("image/png", header(png, "Content-Type"), src);
    }
    HttpResponse<String> sw = get(base + "/rider/sw.js");
    assertEquals(200, sw.statusCode());
    assertTrue(header(sw, "Content-Type").contains("javascript"), sw.headers().toString());
    // every file the service worker caches is there (one missing fails its install)
    String list = sw.body().substring(sw.body().indexOf("const SHELL = ["));
    Matcher shell = Pattern.compile("'([^']+)'").matcher(list.substring(0, list.indexOf("];")));
    int files = 0;
    while (shell.find()) {
      String f = shell.group(1);
      assertEquals(200, get(base + "/rider/" + f).statusCode(), "cached by the worker: " + f);
      files++;
    }
    assertTrue(files >= 15, "the app shell: " + files);
  }

  @Test
  void uploadOriginsMayBeCalledFromThePages() {
    String csp =
        WebRoutes.contentSecurityPolicy(
            "http://127.0.0.1:8081",
            "/v1/live",
            List.of("https://receipts.s3.eu-west-1.amazonaws.com/", " "));
    assertTrue(
        csp.contains(
            "connect-src 'self' http://127.0.0.1:8081 https://receipts.s3.eu-west-1.amazonaws.com;"),
        csp);
  }

  @Test
  void aFolderIsReadOnEveryRequestSoAnEditShowsAtOnce(@TempDir Path tmp) throws Exception {
    Path root = tmp.resolve("webroot");
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = root.resolve(SOURCES.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(to);
        else Files.copy(f, to);
      }
    }
    Router router = Router.router(vertx);
    WebRoutes.mount(router, "http://127.0.0.1:8081", root);
    String url = listen(router);
    HttpResponse<String> before = get(url + "/dashboard/");
    assertEquals(200, before.statusCode());
    assertTrue(header(before, "Content-Security-Policy").contains("script-src 'self'"));
    Files.writeString(root.resolve("dashboard/index.html"), "<!doctype html><title>edited</title>");
    assertEquals("<!doctype html><title>edited</title>", get(url + "/dashboard/").body());
    assertEquals(200, get(url + "/shared/api.js").statusCode());
  }

  @Test
  void aFolderThatIsNotTheWebRootIsRefusedByName(@TempDir Path tmp) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> WebRoutes.mount(Router.router(vertx), "http://127.0.0.1:8081", tmp));
    assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("shared/dom.js"), e.getMessage());
  }
}
