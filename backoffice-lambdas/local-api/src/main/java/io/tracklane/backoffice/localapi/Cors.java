package io.tracklane.backoffice.localapi;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * CORS as the deployed API answers it: preflights (the generated {@code options} mock integrations)
 * and {@code Access-Control-Allow-Origin} on responses. Allowed origins are a list; {@code *}
 * allows any (answered as {@code *}); otherwise a listed origin is echoed with {@code Vary:
 * Origin}, and an unlisted one gets no CORS headers (the browser refuses).
 */
final class Cors {
  private final List<String> allowedOrigins;
  private final boolean any;
  private final String allowHeaders;
  private final int maxAgeSeconds;

  Cors(List<String> allowedOrigins, List<String> allowHeaders, int maxAgeSeconds) {
    this.allowedOrigins = List.copyOf(allowedOrigins);
    this.any = allowedOrigins.contains("*");
    this.allowHeaders = String.join(",", allowHeaders);
    this.maxAgeSeconds = maxAgeSeconds;
  }

  /**
   * The Access-Control-Allow-Origin value for this origin, or null if it may not read responses.
   */
  String allowOrigin(String origin) {
    if (any) return "*";
    return origin != null && allowedOrigins.contains(origin) ? origin : null;
  }

  /** Headers answering a preflight for a path offering these methods (OPTIONS is added). */
  MultiMap preflight(String origin, List<String> methods) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    String allow = String.join(",", methods) + ",OPTIONS";
    headers.set("Allow", allow);
    String allowOrigin = allowOrigin(origin);
    if (allowOrigin == null) return headers;
    headers.set("Access-Control-Allow-Origin", allowOrigin);
    if (!any) headers.set("Vary", "Origin");
    headers.set("Access-Control-Allow-Methods", allow);
    headers.set("Access-Control-Allow-Headers", allowHeaders);
    headers.set("Access-Control-Max-Age", Integer.toString(maxAgeSeconds));
    return headers;
  }

  /** Adds Access-Control-Allow-Origin unless the function already answered it. */
  void decorate(String origin, MultiMap responseHeaders) {
    String allowOrigin = allowOrigin(origin);
    if (allowOrigin == null || responseHeaders.contains("Access-Control-Allow-Origin")) return;
    responseHeaders.set("Access-Control-Allow-Origin", allowOrigin);
    if (!any) responseHeaders.add("Vary", "Origin");
  }
}
