package io.tracklane.backoffice.receipts;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import io.tracklane.backoffice.common.TestS3;
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

/**
 * What a client and S3 do around the receipts bucket: posting a presigned form with java.net.http,
 * and the ObjectCreated event S3 sends to the OCR function. The store itself is common's {@link
 * TestS3}.
 */
final class S3Uploads {
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private S3Uploads() {}

  /** What S3 answered a form POST. */
  record PostResult(int status, String etag, String body) {}

  /**
   * POSTs {@code content} with the form's fields as multipart/form-data (fields first, the file
   * last), as a phone or browser does.
   */
  static PostResult post(
      String url, Map<String, String> fields, String fileName, String contentType, byte[] content)
      throws Exception {
    String boundary = "----tracklane" + UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (var f : fields.entrySet()) {
      body.writeBytes(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + f.getKey()
                  + "\"\r\n\r\n"
                  + f.getValue()
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: "
                + contentType
                + "\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new PostResult(
        r.statusCode(),
        r.headers().firstValue("ETag").map(ReceiptStorage::unquote).orElse(null),
        r.body());
  }

  /** The notification S3 sends for a new object: key URL-encoded, ETag without quotes. */
  static S3Event objectCreated(
      String eventName, String bucket, String key, long size, String etag) {
    var object =
        new S3EventNotification.S3ObjectEntity(
            urlEncodeKey(key), size, etag, null, Long.toHexString(System.nanoTime()).toUpperCase());
    var bucketEntity =
        new S3EventNotification.S3BucketEntity(
            bucket,
            new S3EventNotification.UserIdentityEntity("A3NL1KOZZKExample"),
            "arn:aws:s3:::" + bucket);
    var s3 = new S3EventNotification.S3Entity("receipt-uploaded", bucketEntity, object, "1.0");
    var record =
        new S3EventNotification.S3EventNotificationRecord(
            TestS3.REGION,
            eventName,
            "aws:s3",
            Instant.now().toString(),
            "2.1",
            new S3EventNotification.RequestParametersEntity("127.0.0.1"),
            new S3EventNotification.ResponseElementsEntity("x-amz-id-2", "x-amz-request-id"),
            s3,
            new S3EventNotification.UserIdentityEntity("AWS:RIDER"));
    return new S3Event(List.of(record));
  }

  /** As S3 writes keys into events: each segment form-encoded (space as +), slashes kept. */
  static String urlEncodeKey(String key) {
    return java.util.Arrays.stream(key.split("/", -1))
        .map(p -> URLEncoder.encode(p, StandardCharsets.UTF_8))
        .collect(java.util.stream.Collectors.joining("/"));
  }
}
