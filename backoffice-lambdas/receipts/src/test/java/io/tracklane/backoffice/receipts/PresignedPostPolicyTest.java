package io.tracklane.backoffice.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.TestS3;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hand-built POST policy: its signing key against AWS's published example, its document, and an
 * S3 API (s3proxy, which checks SigV4 POST signatures and every policy condition) accepting the
 * form it describes and refusing any other.
 */
class PresignedPostPolicyTest {
  static final PresignedPostPolicy.Signer SIGNER =
      new PresignedPostPolicy.Signer(TestS3.ACCESS_KEY, TestS3.SECRET_KEY, null, TestS3.REGION);
  static TestS3 s3;

  @BeforeAll
  static void start() throws Exception {
    s3 = new TestS3("receipts", true);
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  @Test
  void signingKeyMatchesAwsPublishedExample() {
    // "Derive a signing key for Signature Version 4" in the AWS docs (IAM, 20120215, us-east-1)
    byte[] key =
        PresignedPostPolicy.signingKey(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
    assertEquals(
        "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d",
        HexFormat.of().formatHex(key));
  }

  @Test
  void thePolicyPinsBucketKeyTypeAndSize() {
    Instant now = Instant.parse("2026-11-27T08:00:00.123Z");
    var upload =
        PresignedPostPolicy.sign(
            new PresignedPostPolicy.Signer("AKID", "secret", "session-token", "cn-north-1"),
            new PresignedPostPolicy.Conditions(
                "bucket-1", "receipts/t1/r1.jpg", "image/jpeg", 1024),
            "https://x/",
            now,
            Duration.ofMinutes(10));
    Map<String, String> f = upload.fields();
    assertEquals("receipts/t1/r1.jpg", f.get("key"));
    assertEquals("image/jpeg", f.get("Content-Type"));
    assertEquals("AKID/20261127/cn-north-1/s3/aws4_request", f.get("x-amz-credential"));
    assertEquals("20261127T080000Z", f.get("x-amz-date"));
    assertEquals("session-token", f.get("x-amz-security-token"));
    assertEquals(Instant.parse("2026-11-27T08:10:00Z"), upload.expiresAt());
    JsonObject policy =
        new JsonObject(
            new String(Base64.getDecoder().decode(f.get("policy")), StandardCharsets.UTF_8));
    assertEquals("2026-11-27T08:10:00Z", policy.getString("expiration"));
    JsonArray c = policy.getJsonArray("conditions");
    assertTrue(c.contains(new JsonObject().put("bucket", "bucket-1")), c.encode());
    assertTrue(
        c.contains(new JsonArray().add("eq").add("$key").add("receipts/t1/r1.jpg")), c.encode());
    assertTrue(
        c.contains(new JsonArray().add("eq").add("$Content-Type").add("image/jpeg")), c.encode());
    assertTrue(
        c.contains(new JsonArray().add("content-length-range").add(1).add(1024)), c.encode());
    assertTrue(
        c.contains(new JsonObject().put("x-amz-security-token", "session-token")), c.encode());
    assertEquals(
        PresignedPostPolicy.signature("secret", "20261127", "cn-north-1", f.get("policy")),
        f.get("x-amz-signature"));
    // the file goes last: the signature fields come before it in the form
    assertEquals("x-amz-signature", f.keySet().toArray()[f.size() - 1]);
  }

  @Test
  void s3StoresTheFormItDescribes() throws Exception {
    var upload = sign("ok/one.png", "image/png", 100, Duration.ofMinutes(5));
    var r = S3Uploads.post(upload.url(), upload.fields(), "one.png", "image/png", bytes(100));
    assertEquals(204, r.status(), r.body());
    var head = s3.admin.headObject(b -> b.bucket(s3.bucket).key("ok/one.png"));
    assertEquals(100L, head.contentLength());
    assertEquals("image/png", head.contentType());
    assertEquals(r.etag(), ReceiptStorage.unquote(head.eTag()));
  }

  @Test
  void s3RefusesAnythingElse() throws Exception {
    var upload = sign("ok/two.png", "image/png", 100, Duration.ofMinutes(5));
    assertRefused(upload.url(), upload.fields(), bytes(101), 400, "one byte over the limit");
    assertRefused(
        upload.url(),
        with(upload.fields(), "Content-Type", "text/html"),
        bytes(10),
        403,
        "another type");
    assertRefused(
        upload.url(),
        with(upload.fields(), "key", "ok/elsewhere.png"),
        bytes(10),
        403,
        "another key");
    String sig = upload.fields().get("x-amz-signature");
    assertRefused(
        upload.url(),
        with(
            upload.fields(),
            "x-amz-signature",
            (sig.charAt(0) == 'a' ? "b" : "a") + sig.substring(1)),
        bytes(10),
        403,
        "a forged signature");
    var expired = sign("ok/three.png", "image/png", 100, Duration.ofSeconds(1));
    Thread.sleep(2100);
    assertRefused(expired.url(), expired.fields(), bytes(10), 403, "an expired policy");
    assertFalse(
        exists("ok/two.png") || exists("ok/elsewhere.png") || exists("ok/three.png"),
        "nothing stored");
  }

  private static PresignedPostPolicy.Upload sign(String key, String type, long max, Duration ttl) {
    String url = s3.endpoint + "/" + s3.bucket + "/";
    return PresignedPostPolicy.sign(
        SIGNER,
        new PresignedPostPolicy.Conditions(s3.bucket, key, type, max),
        url,
        Instant.now(),
        ttl);
  }

  private static void assertRefused(
      String url, Map<String, String> fields, byte[] content, int status, String what)
      throws Exception {
    var r = S3Uploads.post(url, fields, "f", fields.get("Content-Type"), content);
    assertEquals(status, r.status(), what + ": " + r.body());
  }

  private static Map<String, String> with(Map<String, String> fields, String name, String value) {
    Map<String, String> m = new LinkedHashMap<>(fields);
    m.put(name, value);
    return m;
  }

  private static boolean exists(String key) {
    try {
      s3.admin.headObject(b -> b.bucket(s3.bucket).key(key));
      return true;
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return false;
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) i;
    return b;
  }
}
