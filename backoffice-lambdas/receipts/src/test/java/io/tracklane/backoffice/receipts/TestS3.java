package io.tracklane.backoffice.receipts;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import io.tracklane.backoffice.common.BackofficeSettings;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An in-process S3 API (s3proxy on an in-memory store, SigV4 required, POST policies enforced)
 * with one bucket, plus what a client and S3 do around it: posting a presigned form with
 * java.net.http, and the ObjectCreated event S3 would send to the OCR function.
 */
final class TestS3 implements AutoCloseable {
  static final String ACCESS_KEY = "receipts-test-key";
  static final String SECRET_KEY = "receipts-test-secret";
  static final String REGION = "us-east-1";
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final S3Proxy proxy;
  final String endpoint;
  final String bucket;
  final S3Client admin;

  TestS3() throws Exception {
    this(store -> store);
  }

  /** @param wrap wraps the in-memory store (a test's fault injection) */
  TestS3(java.util.function.UnaryOperator<BlobStore> wrap) throws Exception {
    proxy = S3Proxy.builder().blobStore(wrap.apply(new TransientNio2BlobStore())).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      Thread.sleep(10);
    }
    endpoint = "http://127.0.0.1:" + proxy.getPort();
    bucket = "receipts-" + UUID.randomUUID().toString().substring(0, 8);
    admin = S3Client.builder().region(Region.of(REGION)).endpointOverride(URI.create(endpoint)).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    admin.createBucket(b -> b.bucket(bucket));
  }

  /** The settings the receipts Lambdas read, pointing at this store. */
  Map<String, String> config() {
    return Map.of(ReceiptSettings.BUCKET.env(), bucket, BackofficeSettings.S3_ENDPOINT.env(), endpoint,
        BackofficeSettings.S3_ACCESS_KEY.env(), ACCESS_KEY, BackofficeSettings.S3_SECRET_KEY.env(), SECRET_KEY, "AWS_REGION", REGION);
  }

  /** What S3 answered a form POST. */
  record PostResult(int status, String etag, String body) {}

  /**
   * POSTs {@code content} with the form's fields as multipart/form-data (fields first, the file
   * last), as a phone or browser does.
   */
  static PostResult post(String url, Map<String, String> fields, String fileName, String contentType, byte[] content)
      throws Exception {
    String boundary = "----tracklane" + UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (var f : fields.entrySet()) {
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
          + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
        + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    return new PostResult(r.statusCode(), r.headers().firstValue("ETag").map(ReceiptStorage::unquote).orElse(null), r.body());
  }

  /** The notification S3 sends for a new object: key URL-encoded, ETag without quotes. */
  static S3Event objectCreated(String eventName, String bucket, String key, long size, String etag) {
    var object = new S3EventNotification.S3ObjectEntity(urlEncodeKey(key), size, etag, null,
        Long.toHexString(System.nanoTime()).toUpperCase());
    var bucketEntity = new S3EventNotification.S3BucketEntity(bucket,
        new S3EventNotification.UserIdentityEntity("A3NL1KOZZKExample"), "arn:aws:s3:::" + bucket);
    var s3 = new S3EventNotification.S3Entity("receipt-uploaded", bucketEntity, object, "1.0");
    var record = new S3EventNotification.S3EventNotificationRecord(REGION, eventName, "aws:s3", Instant.now().toString(),
        "2.1", new S3EventNotification.RequestParametersEntity("127.0.0.1"),
        new S3EventNotification.ResponseElementsEntity("x-amz-id-2", "x-amz-request-id"), s3,
        new S3EventNotification.UserIdentityEntity("AWS:RIDER"));
    return new S3Event(List.of(record));
  }

  /** As S3 writes keys into events: each segment form-encoded (space as +), slashes kept. */
  static String urlEncodeKey(String key) {
    return java.util.Arrays.stream(key.split("/", -1)).map(p -> URLEncoder.encode(p, StandardCharsets.UTF_8))
        .collect(java.util.stream.Collectors.joining("/"));
  }

  @Override
  public void close() {
    admin.close();
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping s3proxy", e);
    }
  }
}
