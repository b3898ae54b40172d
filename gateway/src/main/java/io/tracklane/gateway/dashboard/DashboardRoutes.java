package io.tracklane.gateway.dashboard;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;

/**
 * The dispatcher dashboard: a static page (classpath {@code dashboard/}) served at {@code
 * /dashboard/}, Leaflet from its webjar under {@code /dashboard/vendor/leaflet/}, and {@code GET
 * /dashboard/config.json} telling the page where the back-office API, the live stream and
 * (optionally) a map tile server are. The page logs in against the back office itself and keeps the
 * token in memory only; nothing here needs authentication, since the page holds no data.
 */
public final class DashboardRoutes {
  /** Used when the webjar's pom.properties cannot be read (it always can from the jar). */
  static final String LEAFLET_FALLBACK_VERSION = "1.9.4";

  static final String DEFAULT_LIVE_URL = "/v1/live";

  private DashboardRoutes() {}

  /**
   * Mounts the dashboard with the live stream of this gateway ({@code /v1/live}) and no tile layer.
   */
  public static void mount(Router router, String backofficeApiUrl) {
    mount(router, backofficeApiUrl, DEFAULT_LIVE_URL, null);
  }

  /**
   * @param backofficeApiUrl base URL of the back-office API (absolute, no trailing slash needed)
   * @param liveUrl the SSE live stream: relative to this server ({@code /v1/live}) or absolute
   * @param tileUrl a Leaflet tile URL template ({@code https://tiles.example/{z}/{x}/{y}.png});
   *     null or blank = no basemap (the map shows routes and riders only)
   */
  public static void mount(Router router, String backofficeApiUrl, String liveUrl, String tileUrl) {
    String api = trimTrailingSlash(require(backofficeApiUrl, "backofficeApiUrl"));
    String live = require(liveUrl, "liveUrl");
    String tiles = tileUrl == null || tileUrl.isBlank() ? null : tileUrl.trim();
    JsonObject config =
        new JsonObject().put("apiUrl", api).put("liveUrl", live).put("tileUrl", tiles);
    String csp = contentSecurityPolicy(api, live);

    router
        .route("/dashboard/*")
        .handler(
            ctx -> {
              ctx.response()
                  .putHeader("Content-Security-Policy", csp)
                  .putHeader("X-Content-Type-Options", "nosniff")
                  .putHeader("Referrer-Policy", "no-referrer");
              ctx.next();
            });
    router
        .get("/dashboard")
        .handler(
            ctx -> {
              // the route also matches "/dashboard/"; only the bare path is redirected (relative
              // URLs need the slash)
              if ("/dashboard".equals(ctx.request().path())) ctx.redirect("/dashboard/");
              else ctx.next();
            });
    router.get("/dashboard/config.json").handler(ctx -> config(ctx, config));
    router
        .route("/dashboard/vendor/leaflet/*")
        .handler(
            StaticHandler.create("META-INF/resources/webjars/leaflet/" + leafletVersion() + "/dist")
                .setDirectoryListing(false)
                .setMaxAgeSeconds(3600));
    router
        .route("/dashboard/*")
        .handler(
            StaticHandler.create("dashboard")
                .setIndexPage("index.html")
                .setDirectoryListing(false)
                // Revalidate on every load so a new gateway version is picked up at once.
                .setMaxAgeSeconds(0));
  }

  private static void config(RoutingContext ctx, JsonObject config) {
    ctx.response().putHeader("Cache-Control", "no-store");
    ctx.json(config);
  }

  /** The Leaflet version of the webjar on the classpath. */
  static String leafletVersion() {
    try (InputStream in =
        DashboardRoutes.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars.npm/leaflet/pom.properties")) {
      if (in == null) return LEAFLET_FALLBACK_VERSION;
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", LEAFLET_FALLBACK_VERSION);
    } catch (IOException e) {
      return LEAFLET_FALLBACK_VERSION;
    }
  }

  /**
   * Scripts and styles from this server only; data from this server, the API and the live stream;
   * images also from any http(s) origin, for a configured tile server.
   */
  static String contentSecurityPolicy(String apiUrl, String liveUrl) {
    Set<String> connect = new LinkedHashSet<>();
    connect.add("'self'");
    origin(apiUrl, connect);
    origin(liveUrl, connect);
    return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: http: https:; "
        + "connect-src "
        + String.join(" ", connect)
        + "; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
  }

  private static void origin(String url, Set<String> into) {
    try {
      URI u = URI.create(url);
      if (u.getScheme() != null && u.getHost() != null) {
        into.add(u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()));
      }
    } catch (IllegalArgumentException notAUri) {
      // a relative path or a malformed value: 'self' covers the former, the latter will fail in the
      // page
    }
  }

  private static String require(String value, String name) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must be set");
    return value.trim();
  }

  private static String trimTrailingSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
