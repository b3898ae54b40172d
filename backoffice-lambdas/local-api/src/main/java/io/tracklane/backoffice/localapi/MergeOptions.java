package io.tracklane.backoffice.localapi;

import java.util.List;
import java.util.Objects;

/**
 * What {@link OpenApiMerger} adds around the fragments.
 *
 * @param apiVersion {@code info.version}
 * @param corsAllowOrigin the value API Gateway answers in {@code Access-Control-Allow-Origin}
 *     (preflights and gateway responses); {@code *} or one origin, or a Terraform placeholder such
 *     as {@code ${cors_allow_origin}}
 * @param corsAllowHeaders request headers a browser may send
 * @param corsMaxAgeSeconds how long a browser may cache a preflight
 * @param authorizerTtlSeconds API Gateway's authorizer result cache TTL (local-api uses the same)
 * @param binaryMediaTypes request/response content types API Gateway passes base64-encoded
 */
public record MergeOptions(
    String apiVersion,
    String corsAllowOrigin,
    List<String> corsAllowHeaders,
    int corsMaxAgeSeconds,
    int authorizerTtlSeconds,
    List<String> binaryMediaTypes) {

  public static final String TITLE = "Tracklane back-office API";

  public MergeOptions {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(corsAllowOrigin, "corsAllowOrigin");
    corsAllowHeaders = List.copyOf(corsAllowHeaders);
    binaryMediaTypes = List.copyOf(binaryMediaTypes);
    if (corsMaxAgeSeconds < 0) throw new IllegalArgumentException("corsMaxAgeSeconds must be >= 0");
    if (authorizerTtlSeconds < 0 || authorizerTtlSeconds > 3600) {
      throw new IllegalArgumentException(
          "authorizerTtlSeconds must be within 0..3600 (API Gateway's range)");
    }
  }

  public static MergeOptions defaults() {
    return new MergeOptions(
        "0.1.0",
        "*",
        List.of("Authorization", "Content-Type"),
        600,
        60, // a token keeps working this long past its expiry or its user's deactivation
        List.of("application/octet-stream"));
  }

  public MergeOptions withApiVersion(String v) {
    return new MergeOptions(
        v,
        corsAllowOrigin,
        corsAllowHeaders,
        corsMaxAgeSeconds,
        authorizerTtlSeconds,
        binaryMediaTypes);
  }

  public MergeOptions withCorsAllowOrigin(String v) {
    return new MergeOptions(
        apiVersion, v, corsAllowHeaders, corsMaxAgeSeconds, authorizerTtlSeconds, binaryMediaTypes);
  }

  public MergeOptions withCorsAllowHeaders(List<String> v) {
    return new MergeOptions(
        apiVersion, corsAllowOrigin, v, corsMaxAgeSeconds, authorizerTtlSeconds, binaryMediaTypes);
  }

  public MergeOptions withCorsMaxAgeSeconds(int v) {
    return new MergeOptions(
        apiVersion, corsAllowOrigin, corsAllowHeaders, v, authorizerTtlSeconds, binaryMediaTypes);
  }

  public MergeOptions withAuthorizerTtlSeconds(int v) {
    return new MergeOptions(
        apiVersion, corsAllowOrigin, corsAllowHeaders, corsMaxAgeSeconds, v, binaryMediaTypes);
  }

  public MergeOptions withBinaryMediaTypes(List<String> v) {
    return new MergeOptions(
        apiVersion, corsAllowOrigin, corsAllowHeaders, corsMaxAgeSeconds, authorizerTtlSeconds, v);
  }
}
