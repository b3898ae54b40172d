package io.tracklane.backoffice.receipts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An S3 presigned POST (browser-based upload) signed with Signature Version 4, which the AWS SDK v2
 * does not build. Unlike a presigned PUT, the policy lets S3 itself refuse an upload that is too
 * large ({@code content-length-range}), of another type ({@code Content-Type}) or under another
 * key, before anything is stored.
 *
 * <p>The client POSTs {@code multipart/form-data} to {@link Upload#url()} with every field of
 * {@link Upload#fields()} and the bytes last, as the part named {@code file}. Signing follows
 * "Authenticating Requests in Browser-Based Uploads Using POST (AWS Signature Version 4)": the
 * string to sign is the base64 policy; the key is the usual SigV4 derivation for service {@code
 * s3}.
 */
public final class PresignedPostPolicy {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SCOPE_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  /**
   * Who signs: an access key pair, plus the session token of temporary credentials (a Lambda's
   * role).
   */
  public record Signer(
      String accessKeyId, String secretAccessKey, String sessionToken, String region) {
    public Signer {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
      Objects.requireNonNull(region, "region");
    }
  }

  /** What the upload must be: this bucket and key, exactly this content type, 1..maxBytes bytes. */
  public record Conditions(String bucket, String key, String contentType, long maxBytes) {
    public Conditions {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(contentType, "contentType");
      if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be positive");
    }
  }

  /**
   * The form to post: URL, fields (in order; the file goes after them) and when the policy expires.
   */
  public record Upload(String url, Map<String, String> fields, Instant expiresAt, long maxBytes) {
    public JsonObject toJson() {
      JsonObject f = new JsonObject();
      fields.forEach(f::put);
      return new JsonObject()
          .put("method", "POST")
          .put("url", url)
          .put("fields", f)
          .put("fileField", "file")
          .put("expiresAt", expiresAt.toString())
          .put("maxBytes", maxBytes);
    }
  }

  private PresignedPostPolicy() {}

  /**
   * Signs a policy valid for {@code ttl} from {@code now}.
   *
   * @param bucketUrl where the form is posted: the bucket's URL ({@code
   *     https://bucket.s3.region.amazonaws.com/}, or {@code http://endpoint/bucket/} with
   *     path-style access)
   */
  public static Upload sign(
      Signer signer, Conditions c, String bucketUrl, Instant now, Duration ttl) {
    Instant at = now.truncatedTo(ChronoUnit.SECONDS);
    Instant expires = at.plus(ttl);
    String amzDate = AMZ_DATE.format(at);
    String scopeDate = SCOPE_DATE.format(at);
    String credential =
        signer.accessKeyId() + "/" + scopeDate + "/" + signer.region() + "/s3/aws4_request";

    JsonArray conditions =
        new JsonArray()
            .add(new JsonObject().put("bucket", c.bucket()))
            .add(new JsonArray().add("eq").add("$key").add(c.key()))
            .add(new JsonArray().add("eq").add("$Content-Type").add(c.contentType()))
            .add(new JsonArray().add("content-length-range").add(1).add(c.maxBytes()))
            .add(new JsonObject().put("x-amz-algorithm", ALGORITHM))
            .add(new JsonObject().put("x-amz-credential", credential))
            .add(new JsonObject().put("x-amz-date", amzDate));
    if (signer.sessionToken() != null)
      conditions.add(new JsonObject().put("x-amz-security-token", signer.sessionToken()));
    JsonObject policy =
        new JsonObject()
            .put(
                "expiration",
                DateTimeFormatter.ISO_INSTANT.format(expires.truncatedTo(ChronoUnit.MILLIS)))
            .put("conditions", conditions);
    String policyBase64 =
        Base64.getEncoder().encodeToString(policy.encode().getBytes(StandardCharsets.UTF_8));

    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("key", c.key());
    fields.put("Content-Type", c.contentType());
    fields.put("x-amz-algorithm", ALGORITHM);
    fields.put("x-amz-credential", credential);
    fields.put("x-amz-date", amzDate);
    if (signer.sessionToken() != null) fields.put("x-amz-security-token", signer.sessionToken());
    fields.put("policy", policyBase64);
    fields.put(
        "x-amz-signature",
        signature(signer.secretAccessKey(), scopeDate, signer.region(), policyBase64));
    return new Upload(bucketUrl, Collections.unmodifiableMap(fields), expires, c.maxBytes());
  }

  /** Hex HMAC-SHA256 of the base64 policy with the SigV4 signing key of (date, region, s3). */
  static String signature(
      String secretAccessKey, String scopeDate, String region, String policyBase64) {
    return HexFormat.of()
        .formatHex(hmac(signingKey(secretAccessKey, scopeDate, region, "s3"), policyBase64));
  }

  /** The SigV4 signing key: HMAC chain over date, region, service and "aws4_request". */
  static byte[] signingKey(
      String secretAccessKey, String scopeDate, String region, String service) {
    byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), scopeDate);
    key = hmac(key, region);
    key = hmac(key, service);
    return hmac(key, "aws4_request");
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
