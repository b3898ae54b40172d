package io.tracklane.gateway.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The browser pages of the web module (dispatcher dashboard at {@code /dashboard/}, and every other
 * folder of its {@code webroot/}, with the shared ES modules at {@code /shared/}), Leaflet from its
 * webjar under {@code /vendor/leaflet/}, and {@code GET /config.json} (also at {@code
 * /dashboard/config.json}) telling the pages where the back-office API, the live stream and
 * (optionally) a map tile server are.
 *
 * <p>The pages come from a folder ({@code TRACKLANE_WEB_ROOT}: {@code bin/stack} points it at the
 * web module's sources, so an edit shows on reload) or else from {@code webroot/} on the classpath
 * (the web jar, which the container image carries). The gateway does not depend on the web module
 * at build time: the web module's browser tests run the whole local stack, gateway included.
 *
 * <p>Every response carries a strict Content-Security-Policy: scripts only from this server (no
 * inline script, no eval), data only from here, the API and the live stream. The pages sign in
 * against the back office themselves; nothing here needs authentication, since the pages hold no
 * data.
 */
public final class WebRoutes {
  /** The classpath folder of the web jar. */
  public static final String CLASSPATH_ROOT = "webroot";

  /** A file every webroot has: the one DOM helper module all pages import. */
  static final String MARKER = "shared/dom.js";

  /** Used when the webjar's pom.properties cannot be read (it always can from the jar). */
  static final String LEAFLET_FALLBACK_VERSION = "1.9.4";

  public static final String DEFAULT_LIVE_URL = "/v1/live";

  /** The pages' folders whose bare path ({@code /rider}) redirects to the folder. */
  static final List<String> APPS = List.of("/dashboard", "/admin", "/rider");

  private WebRoutes() {}

  /**
   * Mounts the pages with the live stream of this gateway ({@code /v1/live}) and no tile layer.
   *
   * @param webRoot the folder of the pages; null = {@code webroot/} on the classpath
   */
  public static void mount(Router router, String backofficeApiUrl, Path webRoot) {
    mount(router, backofficeApiUrl, DEFAULT_LIVE_URL, null, webRoot);
  }

  /** The pages with no upload origin beyond the API (receipt uploads need one: see below). */
  public static void mount(
      Router router, String backofficeApiUrl, String liveUrl, String tileUrl, Path webRoot) {
    mount(router, backofficeApiUrl, liveUrl, tileUrl, List.of(), webRoot);
  }

  /**
   * @param backofficeApiUrl base URL of the back-office API (absolute, no trailing slash needed)
   * @param liveUrl the SSE live stream: relative to this server ({@code /v1/live}) or absolute
   * @param tileUrl a Leaflet tile URL template ({@code https://tiles.example/{z}/{x}/{y}.png});
   *     null or blank = no basemap (the map shows routes and riders only)
   * @param uploadOrigins origins the pages may also send data to (connect-src): where the receipts
   *     API's presigned upload forms point (the receipts bucket), e.g. {@code
   *     https://tracklane-receipts.s3.eu-west-1.amazonaws.com}
   * @param webRoot the folder of the pages; null = {@code webroot/} on the classpath
   * @throws IllegalArgumentException when the folder is not one, or (null) the classpath has no
   *     webroot
   */
  public static void mount(
      Router router,
      String backofficeApiUrl,
      String liveUrl,
      String tileUrl,
      List<String> uploadOrigins,
      Path webRoot) {
    String api = trimTrailingSlash(require(backofficeApiUrl, "backofficeApiUrl"));
    String live = require(liveUrl, "liveUrl");
    String tiles = tileUrl == null || tileUrl.isBlank() ? null : tileUrl.trim();
    JsonObject config =
        new JsonObject().put("apiUrl", api).put("liveUrl", live).put("tileUrl", tiles);
    String csp = contentSecurityPolicy(api, live, uploadOrigins);
    StaticHandler pages = pages(webRoot);

    for (String app : APPS) {
      router
          .get(app)
          .handler(
              ctx -> {
                // the route also matches "/app/"; only the bare path is redirected (relative
                // URLs need the slash)
                if (app.equals(ctx.request().path())) ctx.redirect(app + "/");
                else ctx.next();
              });
    }
    for (String path : new String[] {"/config.json", "/dashboard/config.json"}) {
      router
          .get(path)
          .handler(ctx -> securityHeaders(ctx, csp))
          .handler(ctx -> config(ctx, config));
    }
    router
        .route("/vendor/leaflet/*")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(ctx -> securityHeaders(ctx, csp))
        .handler(
            StaticHandler.create("META-INF/resources/webjars/leaflet/" + leafletVersion() + "/dist")
                .setDirectoryListing(false)
                .setMaxAgeSeconds(3600));
    // Last: whatever else is a GET is a file of the webroot, or falls through to the 404.
    router
        .route("/*")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(ctx -> securityHeaders(ctx, csp))
        .handler(pages);
  }

  /** The webroot's static handler: a folder read on every request, or the classpath. */
  static StaticHandler pages(Path webRoot) {
    StaticHandler handler;
    if (webRoot != null) {
      Path root = webRoot.toAbsolutePath().normalize();
      if (!Files.isRegularFile(root.resolve(MARKER))) {
        throw new IllegalArgumentException(
            "the web root " + root + " is not the web module's webroot (no " + MARKER + ")");
      }
      // edits show on reload: no file cache
      handler =
          StaticHandler.create(FileSystemAccess.ROOT, root.toString()).setCachingEnabled(false);
    } else {
      if (WebRoutes.class.getClassLoader().getResource(CLASSPATH_ROOT + "/" + MARKER) == null) {
        throw new IllegalArgumentException(
            "no web pages: the classpath has no "
                + CLASSPATH_ROOT
                + "/"
                + MARKER
                + " (add the web jar) and TRACKLANE_WEB_ROOT is not set");
      }
      handler = StaticHandler.create(CLASSPATH_ROOT);
    }
    return handler
        .setIndexPage("index.html")
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        // Revalidate on every load so a new version is picked up at once.
        .setMaxAgeSeconds(0);
  }

  /** Where the pages come from, for the start-up log. */
  public static String describe(Path webRoot) {
    return webRoot == null
        ? "classpath " + CLASSPATH_ROOT + "/"
        : webRoot.toAbsolutePath().normalize().toString();
  }

  /** True when the classpath carries the web jar's pages. */
  public static boolean onClasspath() {
    return WebRoutes.class.getClassLoader().getResource(CLASSPATH_ROOT + "/" + MARKER) != null;
  }

  private static void securityHeaders(RoutingContext ctx, String csp) {
    ctx.response()
        .putHeader("Content-Security-Policy", csp)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  private static void config(RoutingContext ctx, JsonObject config) {
    ctx.response().putHeader("Cache-Control", "no-store");
    ctx.json(config);
  }

  /** The Leaflet version of the webjar on the classpath. */
  static String leafletVersion() {
    try (InputStream in =
        WebRoutes.class
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
   * Scripts, styles, fonts and frames from this server only (no inline script, no eval); data from
   * this server, the API and the live stream; images also from any http(s) origin, for a configured
   * tile server and presigned receipt images.
   */
  public static String contentSecurityPolicy(String apiUrl, String liveUrl) {
    return contentSecurityPolicy(apiUrl, liveUrl, List.of());
  }

  /**
   * As above, data also to the upload origins (the receipts bucket); the rider app's service worker
   * and web manifest come from this server only.
   */
  public static String contentSecurityPolicy(
      String apiUrl, String liveUrl, List<String> uploadOrigins) {
    Set<String> connect = new LinkedHashSet<>();
    connect.add("'self'");
    origin(apiUrl, connect);
    origin(liveUrl, connect);
    for (String u : uploadOrigins) origin(u, connect);
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: http: https:; "
        + "connect-src "
        + String.join(" ", connect)
        + "; worker-src 'self'; manifest-src 'self'"
        + "; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
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
