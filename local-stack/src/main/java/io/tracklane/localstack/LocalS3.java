package io.tracklane.localstack;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import io.tracklane.backoffice.localapi.LocalAws;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The local stack's S3: the S3 API in process (s3proxy; SigV4 required, POST policies enforced) on
 * a folder of the stack's home (or in memory), plus S3's event notifications. When an object is
 * created in a bucket with a subscriber, the subscriber — the OCR function's handler — receives the
 * {@link S3Event} S3 would send to Lambda (eventName {@code ObjectCreated:Post|Put|Copy|
 * CompleteMultipartUpload}, URL-encoded key, size, ETag, sequencer), asynchronously on a worker
 * thread of its own (never an event loop, never the uploader's request), and like Lambda's
 * asynchronous invocation it is retried twice when it throws.
 */
public final class LocalS3 implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalS3.class);

  /**
   * Local-only keys of the store (printed in the banner); the receipts Lambdas get them as
   * settings.
   */
  public static final String ACCESS_KEY = "tracklane-local";

  public static final String SECRET_KEY = "tracklane-local-secret";

  /**
   * Lambda retries a failed asynchronous invocation twice; locally the waits are seconds, not
   * minutes.
   */
  static final long[] RETRY_DELAYS_MS = {1_000, 2_000};

  private final S3Proxy proxy;
  private final Map<String, Consumer<S3Event>> subscribers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService notifier =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "local-s3-notify");
            t.setDaemon(true);
            return t;
          });
  private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() << 16);

  private LocalS3(BlobStore store, int port) throws Exception {
    this.proxy =
        S3Proxy.builder()
            .blobStore(new NotifyingStore(store))
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            // browsers POST receipts with the presigned form from the pages' origin (the
            // gateway), as the receipts bucket's CORS rule allows in AWS; locally any origin, the
            // form's policy and signature still decide
            .corsRules(new CrossOriginResourceSharing())
            .build();
    proxy.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException("local S3 did not start: " + proxy.getState());
      Thread.sleep(10);
    }
  }

  /**
   * Starts the store with the given buckets (created if missing).
   *
   * @param dir where objects live (kept across restarts), or null to keep them in memory
   * @param port the port, 0 for a free one
   */
  public static LocalS3 start(Path dir, int port, List<String> buckets) throws Exception {
    BlobStore store;
    if (dir != null) {
      Files.createDirectories(dir);
      store = new FilesystemNio2BlobStore(dir.toString());
    } else {
      store = new TransientNio2BlobStore();
    }
    for (String bucket : buckets) {
      boolean exists = store.list().buckets().stream().anyMatch(b -> b.name().equals(bucket));
      if (!exists) store.createContainer(CreateBucketRequest.builder().bucket(bucket).build());
    }
    return new LocalS3(store, port);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** Sends every ObjectCreated event of {@code bucket} to {@code target} (S3 → Lambda). */
  public void onObjectCreated(String bucket, Consumer<S3Event> target) {
    subscribers.put(bucket, target);
  }

  /**
   * The store with S3's notifications: after a successful write, the event goes to the bucket's
   * subscriber.
   */
  private final class NotifyingStore extends ForwardingBlobStore {
    NotifyingStore(BlobStore delegate) {
      super(delegate);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
      PutObjectResponse r = super.putBlob(request, payload);
      // a browser-form upload and a PUT both end here; S3 names them apart
      notifyCreated(
          postUpload() ? "ObjectCreated:Post" : "ObjectCreated:Put",
          request.bucket(),
          request.key());
      return r;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
      CopyObjectResponse r = super.copyBlob(request);
      notifyCreated("ObjectCreated:Copy", request.destinationBucket(), request.destinationKey());
      return r;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(
        MultipartUpload mpu, CompleteMultipartUploadRequest request) {
      CompleteMultipartUploadResponse r = super.completeMultipartUpload(mpu, request);
      notifyCreated("ObjectCreated:CompleteMultipartUpload", request.bucket(), request.key());
      return r;
    }

    private void notifyCreated(String eventName, String bucket, String key) {
      Consumer<S3Event> target = subscribers.get(bucket);
      if (target == null) return;
      try {
        // size and ETag of what was stored, as S3 reports them (ETag without quotes)
        HeadObjectResponse head =
            delegate().blobMetadata(HeadObjectRequest.builder().bucket(bucket).key(key).build());
        S3Event event =
            objectCreated(
                eventName,
                bucket,
                key,
                head.contentLength(),
                unquote(head.eTag()),
                Long.toHexString(sequencer.incrementAndGet()).toUpperCase());
        deliver(target, event, 0);
      } catch (RuntimeException e) {
        // the write itself succeeded; like S3, a lost notification does not fail the upload
        log.error("no notification for s3://{}/{}", bucket, key, e);
      }
    }
  }

  private void deliver(Consumer<S3Event> target, S3Event event, int attempt) {
    long delay = attempt == 0 ? 0 : RETRY_DELAYS_MS[attempt - 1];
    notifier.schedule(
        () -> {
          try {
            target.accept(event);
          } catch (RuntimeException e) {
            String what =
                event.getRecords().get(0).getEventName()
                    + " "
                    + event.getRecords().get(0).getS3().getObject().getKey();
            if (attempt < RETRY_DELAYS_MS.length) {
              log.warn(
                  "notification {} failed (attempt {}); retrying: {}",
                  what,
                  attempt + 1,
                  e.toString());
              deliver(target, event, attempt + 1);
            } else {
              // on AWS the event would now go to the function's dead-letter queue
              log.error("notification {} failed {} times; dropped", what, attempt + 1, e);
            }
          }
        },
        delay,
        TimeUnit.MILLISECONDS);
  }

  /** Whether the current write is a browser-form POST (s3proxy's POST handler is on the stack). */
  private static boolean postUpload() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames.anyMatch(
                    f ->
                        f.getClassName().equals("org.gaul.s3proxy.S3ProxyHandler")
                            && f.getMethodName().contains("PostBlob")));
  }

  /** The notification S3 sends to Lambda for one new object (event structure version 2.1). */
  static S3Event objectCreated(
      String eventName, String bucket, String key, long size, String etag, String sequencer) {
    var object =
        new S3EventNotification.S3ObjectEntity(urlEncodeKey(key), size, etag, null, sequencer);
    var bucketEntity =
        new S3EventNotification.S3BucketEntity(
            bucket,
            new S3EventNotification.UserIdentityEntity(LocalAws.ACCOUNT_ID),
            "arn:" + LocalAws.PARTITION + ":s3:::" + bucket);
    var s3 =
        new S3EventNotification.S3Entity(
            "tracklane-local-notification", bucketEntity, object, "1.0");
    var record =
        new S3EventNotification.S3EventNotificationRecord(
            LocalAws.REGION,
            eventName,
            "aws:s3",
            Instant.now().toString(),
            "2.1",
            new S3EventNotification.RequestParametersEntity("127.0.0.1"),
            new S3EventNotification.ResponseElementsEntity(
                "local", Long.toHexString(System.nanoTime())),
            s3,
            new S3EventNotification.UserIdentityEntity("AWS:" + LocalAws.ACCOUNT_ID));
    return new S3Event(List.of(record));
  }

  /** As S3 writes keys into events: each segment form-encoded (a space becomes +), slashes kept. */
  static String urlEncodeKey(String key) {
    return Arrays.stream(key.split("/", -1))
        .map(p -> URLEncoder.encode(p, StandardCharsets.UTF_8))
        .collect(Collectors.joining("/"));
  }

  private static String unquote(String etag) {
    return etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
        ? etag.substring(1, etag.length() - 1)
        : etag;
  }

  @Override
  public void close() {
    notifier.shutdown();
    try {
      if (!notifier.awaitTermination(10, TimeUnit.SECONDS)) notifier.shutdownNow();
      proxy.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("stopping the local S3 store: {}", e.toString());
    }
  }
}
