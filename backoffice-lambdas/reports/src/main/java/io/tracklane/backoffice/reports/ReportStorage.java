package io.tracklane.backoffice.reports;

import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeSettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The reports bucket: writing a generation's files, deleting a replaced generation, and short-lived
 * download links. Clients are built once (Lambda init phase). With `TRACKLANE_S3_ENDPOINT` set
 * (locally) every client uses that endpoint, path-style, and the bucket is created on first use; on
 * AWS Terraform creates it.
 */
public final class ReportStorage implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReportStorage.class);

  private final S3Client s3;
  private final S3Presigner presigner;
  private final String bucket;
  private final boolean createBucket;
  private volatile boolean bucketChecked;

  /** A short-lived link to read an object. */
  public record Link(String url, Instant expiresAt) {}

  public ReportStorage(S3Client s3, S3Presigner presigner, String bucket, boolean createBucket) {
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.createBucket = createBucket;
  }

  /**
   * Clients from the settings: the endpoint override and static keys locally, the default chain on
   * AWS.
   */
  public static ReportStorage create(BackofficeConfig config, ReportSettings settings) {
    Region region = Region.of(config.get(BackofficeSettings.AWS_REGION));
    String endpoint = config.get(BackofficeSettings.S3_ENDPOINT);
    boolean local = !endpoint.isBlank();
    AwsCredentialsProvider credentials =
        local
            ? StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    config.get(BackofficeSettings.S3_ACCESS_KEY),
                    config.get(BackofficeSettings.S3_SECRET_KEY)))
            : DefaultCredentialsProvider.builder().build();
    S3ClientBuilder b =
        S3Client.builder()
            .region(region)
            .credentialsProvider(credentials)
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    S3Presigner.Builder p = S3Presigner.builder().region(region).credentialsProvider(credentials);
    if (local) {
      b.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
      p.endpointOverride(URI.create(endpoint))
          .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
    }
    return new ReportStorage(b.build(), p.build(), settings.bucket(), local);
  }

  public String bucket() {
    return bucket;
  }

  public void put(String key, byte[] content, String contentType) {
    ensureBucket();
    s3.putObject(
        r ->
            r.bucket(bucket).key(key).contentType(contentType).contentLength((long) content.length),
        RequestBody.fromBytes(content));
  }

  /**
   * Deletes what it can; a leftover object costs storage, not correctness (the row no longer points
   * at it).
   */
  public void deleteQuietly(Collection<String> keys) {
    for (String key : keys) {
      if (key == null) continue;
      try {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
      } catch (RuntimeException e) {
        log.warn("could not delete s3://{}/{}: {}", bucket, key, e.toString());
      }
    }
  }

  /**
   * A presigned GET of {@code key}, valid for {@code ttl}, that the browser saves as {@code
   * fileName} (or shows inline).
   */
  public Link presignGet(String key, Duration ttl, String fileName, boolean inline) {
    String disposition = (inline ? "inline" : "attachment") + "; filename=\"" + fileName + "\"";
    var signed =
        presigner.presignGetObject(
            b ->
                b.signatureDuration(ttl)
                    .getObjectRequest(
                        g -> g.bucket(bucket).key(key).responseContentDisposition(disposition)));
    return new Link(signed.url().toString(), signed.expiration());
  }

  /** Whether the object exists (tests, and the download check). */
  public boolean exists(String key) {
    try {
      s3.headObject(r -> r.bucket(bucket).key(key));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) return false;
      throw e;
    }
  }

  public byte[] read(String key) {
    return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
  }

  private void ensureBucket() {
    if (!createBucket || bucketChecked) return;
    synchronized (this) {
      if (bucketChecked) return;
      try {
        s3.headBucket(r -> r.bucket(bucket));
      } catch (NoSuchBucketException e) {
        createIfMissing();
      } catch (S3Exception e) {
        if (e.statusCode() != 404) throw e;
        createIfMissing();
      }
      bucketChecked = true;
    }
  }

  private void createIfMissing() {
    try {
      s3.createBucket(r -> r.bucket(bucket));
      log.info("created local bucket {}", bucket);
    } catch (S3Exception e) {
      // another process created it meanwhile
      if (e.statusCode() != 409) throw e;
    }
  }

  @Override
  public void close() {
    presigner.close();
    s3.close();
  }
}
