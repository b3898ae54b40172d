package io.tracklane.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.dashboard.DashboardRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@link DashboardRoutes} serves, without a browser: the page, its modules, Leaflet and the
 * config.
 */
class DashboardRoutesTest {
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  static Vertx vertx;
  static String base;
  static String tiled;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    DashboardRoutes.mount(router, "http://127.0.0.1:8081/");
    int port =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS)
            .actualPort();
    base = "http://127.0.0.1:" + port;
    Router other = Router.router(vertx);
    DashboardRoutes.mount(
        other,
        "http://127.0.0.1:8081",
        "http://127.0.0.1:9090/v1/live",
        "https://tiles.example.org/{z}/{x}/{y}.png");
    tiled =
        "http://127.0.0.1:"
            + vertx
                .createHttpServer()
                .requestHandler(other)
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

  @Test
  void servesThePageWithItsModulesAndAStrictPolicy() throws Exception {
    HttpResponse<String> index = get(base + "/dashboard/");
    assertEquals(200, index.statusCode());
    assertTrue(
        index.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
        index.headers().toString());
    assertTrue(index.body().contains("data-testid=\"login-form\""), "the sign-in form");
    assertTrue(
        index.body().contains("<script type=\"module\" src=\"app.js\">"), "app.js as an ES module");
    String csp = index.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("script-src 'self'"), csp);
    assertTrue(
        csp.contains("connect-src 'self' http://127.0.0.1:8081;"), "the API may be called: " + csp);
    assertEquals("nosniff", index.headers().firstValue("X-Content-Type-Options").orElse(""));

    for (String module : new String[] {"app.js", "gcj02.js"}) {
      HttpResponse<String> js = get(base + "/dashboard/" + module);
      assertEquals(200, js.statusCode(), module);
      assertTrue(
          js.headers().firstValue("Content-Type").orElse("").contains("javascript"),
          module + ": " + js.headers());
    }
    HttpResponse<String> css = get(base + "/dashboard/style.css");
    assertEquals(200, css.statusCode());
    assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
  }

  @Test
  void servesLeafletFromTheWebjar() throws Exception {
    HttpResponse<String> esm = get(base + "/dashboard/vendor/leaflet/leaflet-src.esm.js");
    assertEquals(200, esm.statusCode());
    assertTrue(esm.headers().firstValue("Content-Type").orElse("").contains("javascript"));
    assertTrue(esm.body().contains("export {"), "Leaflet's ES module build");
    assertEquals(200, get(base + "/dashboard/vendor/leaflet/leaflet.css").statusCode());
    assertEquals(
        404, get(base + "/dashboard/vendor/leaflet/").statusCode(), "no directory listing");
    assertEquals(
        404, get(base + "/dashboard/vendor/leaflet/../../../../META-INF/MANIFEST.MF").statusCode());
  }

  @Test
  void configTellsThePageWhereTheApiTheStreamAndTheTilesAre() throws Exception {
    HttpResponse<String> res = get(base + "/dashboard/config.json");
    assertEquals(200, res.statusCode());
    assertEquals("no-store", res.headers().firstValue("Cache-Control").orElse(""));
    JsonObject config = new JsonObject(res.body());
    assertEquals("http://127.0.0.1:8081", config.getString("apiUrl"), "trailing slash trimmed");
    assertEquals("/v1/live", config.getString("liveUrl"));
    assertTrue(
        config.containsKey("tileUrl") && config.getValue("tileUrl") == null,
        "no tiles by default: " + res.body());

    JsonObject other = new JsonObject(get(tiled + "/dashboard/config.json").body());
    assertEquals("http://127.0.0.1:9090/v1/live", other.getString("liveUrl"));
    assertEquals("https://tiles.example.org/{z}/{x}/{y}.png", other.getString("tileUrl"));
    String csp =
        get(tiled + "/dashboard/").headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(
        csp.contains("connect-src 'self' http://127.0.0.1:8081 http://127.0.0.1:9090;"), csp);
  }

  @Test
  void redirectsTheBarePathAndLeavesOtherPathsAlone() throws Exception {
    HttpResponse<String> bare = get(base + "/dashboard");
    assertEquals(302, bare.statusCode());
    assertEquals("/dashboard/", bare.headers().firstValue("Location").orElse(""));
    assertEquals(404, get(base + "/dashboard/nope.js").statusCode());
    assertNotEquals(
        200, get(base + "/v1/live").statusCode(), "nothing mounted outside /dashboard/");
  }
}
