package io.tracklane.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import io.tracklane.backoffice.receipts.PresignedPostPolicy;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local S3 store sends the ObjectCreated events S3 sends, off the uploader's thread, and
 * retries like Lambda.
 */
class LocalS3Test {
  static final String BUCKET = "local-s3-test";

  @Test
  void putAndFormPostEachNotifyWithS3sEvent() throws Exception {
    try (LocalS3 s3 = LocalS3.start(null, 0, List.of(BUCKET));
        S3Client client = client(s3)) {
      BlockingQueue<S3Event> events = new LinkedBlockingQueue<>();
      BlockingQueue<String> threads = new LinkedBlockingQueue<>();
      s3.onObjectCreated(
          BUCKET,
          e -> {
            threads.add(Thread.currentThread().getName());
            events.add(e);
          });

      var put =
          client.putObject(
              b -> b.bucket(BUCKET).key("receipts/t 1/a+b.png").contentType("image/png"),
              RequestBody.fromBytes(new byte[] {1, 2, 3}));
      var r = events.poll(10, TimeUnit.SECONDS).getRecords().get(0);
      assertEquals("ObjectCreated:Put", r.getEventName());
      assertEquals("aws:s3", r.getEventSource());
      assertEquals(BUCKET, r.getS3().getBucket().getName());
      assertEquals(
          "receipts/t+1/a%2Bb.png", r.getS3().getObject().getKey(), "URL-encoded, as S3 writes it");
      assertEquals("receipts/t 1/a+b.png", r.getS3().getObject().getUrlDecodedKey());
      assertEquals(3L, r.getS3().getObject().getSizeAsLong());
      assertEquals(put.eTag().replace("\"", ""), r.getS3().getObject().geteTag());
      assertNotNull(r.getS3().getObject().getSequencer());
      assertEquals("local-s3-notify", threads.take(), "delivered on a worker of its own");

      var form =
          PresignedPostPolicy.sign(
              new PresignedPostPolicy.Signer(
                  LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY, null, "us-east-1"),
              new PresignedPostPolicy.Conditions(
                  BUCKET, "receipts/t1/form.pdf", "application/pdf", 1000),
              s3.endpoint() + "/" + BUCKET + "/",
              Instant.now(),
              Duration.ofMinutes(1));
      int status =
          ReceiptsStoryIT.postForm(
                  new JsonObject()
                      .put("url", form.url())
                      .put("fileField", "file")
                      .put("fields", new JsonObject(new java.util.HashMap<>(form.fields()))),
                  "application/pdf",
                  "%PDF-1.4".getBytes(StandardCharsets.US_ASCII))
              .statusCode();
      assertEquals(204, status);
      var post = events.poll(10, TimeUnit.SECONDS).getRecords().get(0);
      assertEquals("ObjectCreated:Post", post.getEventName());
      assertEquals("receipts/t1/form.pdf", post.getS3().getObject().getKey());
      assertEquals(8L, post.getS3().getObject().getSizeAsLong());
      assertNotEquals(
          r.getS3().getObject().getSequencer(), post.getS3().getObject().getSequencer());
    }
  }

  @Test
  void aFailingTargetIsRetriedTwiceAndUploadsSurviveARestart() throws Exception {
    Path dir = Files.createTempDirectory("local-s3");
    AtomicInteger calls = new AtomicInteger();
    BlockingQueue<Integer> done = new LinkedBlockingQueue<>();
    try (LocalS3 s3 = LocalS3.start(dir, 0, List.of(BUCKET));
        S3Client client = client(s3)) {
      s3.onObjectCreated(
          BUCKET,
          e -> {
            int n = calls.incrementAndGet();
            if (n < 3) throw new IllegalStateException("database unreachable (attempt " + n + ")");
            done.add(n);
          });
      client.putObject(
          b -> b.bucket(BUCKET).key("kept.png"), RequestBody.fromBytes(new byte[] {9}));
      assertEquals(3, done.poll(15, TimeUnit.SECONDS), "the third attempt succeeds");
    }
    try (LocalS3 s3 = LocalS3.start(dir, 0, List.of(BUCKET));
        S3Client client = client(s3)) {
      assertTrue(
          client.getObjectAsBytes(b -> b.bucket(BUCKET).key("kept.png")).asByteArray().length == 1,
          "objects live in the stack's folder");
    }
  }

  private static S3Client client(LocalS3 s3) {
    return S3Client.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(URI.create(s3.endpoint()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }
}
