package io.tracklane.backoffice.reports;

import io.tracklane.backoffice.common.BackofficeSettings;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** An in-process S3 API (s3proxy on an in-memory store, SigV4 required); the bucket is left to the code under test. */
public final class TestS3 implements AutoCloseable {
  public static final String ACCESS_KEY = "reports-test-key";
  public static final String SECRET_KEY = "reports-test-secret";
  public static final String REGION = "us-east-1";

  final S3Proxy proxy;
  public final String endpoint;
  public final String bucket;
  public final S3Client admin;

  public TestS3() throws Exception {
    proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      Thread.sleep(10);
    }
    endpoint = "http://127.0.0.1:" + proxy.getPort();
    bucket = "reports-" + UUID.randomUUID().toString().substring(0, 8);
    admin = S3Client.builder().region(Region.of(REGION)).endpointOverride(URI.create(endpoint)).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  /** The settings the reports functions read, pointing at this store. */
  public Map<String, String> config() {
    return Map.of(ReportSettings.BUCKET.env(), bucket, BackofficeSettings.S3_ENDPOINT.env(), endpoint,
        BackofficeSettings.S3_ACCESS_KEY.env(), ACCESS_KEY, BackofficeSettings.S3_SECRET_KEY.env(), SECRET_KEY, "AWS_REGION", REGION);
  }

  /** Every key in the bucket under {@code prefix}. */
  public java.util.List<String> keys(String prefix) {
    try {
      return admin.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
          .map(o -> o.key()).sorted().toList();
    } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
      return java.util.List.of(); // nothing was ever written
    }
  }

  @Override
  public void close() throws Exception {
    admin.close();
    proxy.stop();
  }
}
