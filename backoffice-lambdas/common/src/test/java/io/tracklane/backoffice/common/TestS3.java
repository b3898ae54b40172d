package io.tracklane.backoffice.common;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * An in-process S3 API (s3proxy on an in-memory store, SigV4 required, POST policies enforced) with
 * one bucket name, for the units that store files (receipts, reports). A unit that uses it declares
 * {@code s3} and {@code s3proxy} as test dependencies.
 */
public final class TestS3 implements AutoCloseable {
  public static final String ACCESS_KEY = "backoffice-test-key";
  public static final String SECRET_KEY = "backoffice-test-secret";
  public static final String REGION = "us-east-1";

  final S3Proxy proxy;
  public final String endpoint;
  public final String bucket;
  public final S3Client admin;

  /**
   * @param bucketPrefix the bucket is this plus a random suffix
   * @param createBucket create the bucket now; otherwise it is left to the code under test
   */
  public TestS3(String bucketPrefix, boolean createBucket) throws Exception {
    this(bucketPrefix, createBucket, store -> store);
  }

  /**
   * @param wrap wraps the in-memory store (a test's fault injection)
   */
  public TestS3(String bucketPrefix, boolean createBucket, UnaryOperator<BlobStore> wrap)
      throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(wrap.apply(new TransientNio2BlobStore()))
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      Thread.sleep(10);
    }
    endpoint = "http://127.0.0.1:" + proxy.getPort();
    bucket = bucketPrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    admin =
        S3Client.builder()
            .region(Region.of(REGION))
            .endpointOverride(URI.create(endpoint))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
    if (createBucket) admin.createBucket(b -> b.bucket(bucket));
  }

  /** The settings a unit reads to reach this store, its bucket under {@code bucketSetting}. */
  public Map<String, String> config(String bucketSetting) {
    return Map.of(
        bucketSetting,
        bucket,
        BackofficeSettings.S3_ENDPOINT.env(),
        endpoint,
        BackofficeSettings.S3_ACCESS_KEY.env(),
        ACCESS_KEY,
        BackofficeSettings.S3_SECRET_KEY.env(),
        SECRET_KEY,
        BackofficeSettings.AWS_REGION.env(),
        REGION);
  }

  /** Every key in the bucket under {@code prefix}. */
  public List<String> keys(String prefix) {
    try {
      return admin.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
          .map(o -> o.key())
          .sorted()
          .toList();
    } catch (NoSuchBucketException e) {
      return List.of(); // nothing was ever written
    }
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
