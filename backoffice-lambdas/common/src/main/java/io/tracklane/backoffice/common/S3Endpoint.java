package io.tracklane.backoffice.common;

/**
 * An S3-compatible store the back office addresses path-style with static keys: the local stack's
 * (s3proxy or MinIO). On AWS none is set and the S3 clients use the default endpoint and the
 * function's role. The receipts and reports units read the same three settings, named here once.
 */
public record S3Endpoint(String url, String accessKey, String secretKey) {
  /** Local only: the store's URL, e.g. {@code http://127.0.0.1:9000}. */
  public static final String ENDPOINT = "TRACKLANE_S3_ENDPOINT";
  /** Local only, with {@link #ENDPOINT}: the store's static keys (on AWS the function's role signs). */
  public static final String ACCESS_KEY = "TRACKLANE_S3_ACCESS_KEY";
  public static final String SECRET_KEY = "TRACKLANE_S3_SECRET_KEY";

  @Override
  public String toString() {
    return "S3Endpoint[" + url + "]"; // never the keys
  }

  /** The configured local store, or null on AWS (no {@link #ENDPOINT}); its keys are then required. */
  public static S3Endpoint local(BackofficeConfig config) {
    String url = config.get(ENDPOINT);
    if (url == null || url.isBlank()) return null;
    return new S3Endpoint(url, config.require(ACCESS_KEY), config.require(SECRET_KEY));
  }
}
