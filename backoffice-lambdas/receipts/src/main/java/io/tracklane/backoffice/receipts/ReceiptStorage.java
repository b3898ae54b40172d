package io.tracklane.backoffice.receipts;

import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The receipts bucket: presigned uploads (POST policy) and image links (GET) for clients, and
 * reading an uploaded object for OCR. Clients are built once (Lambda init phase). With
 * `TRACKLANE_S3_ENDPOINT` set (locally) every client uses that endpoint, path-style.
 */
public final class ReceiptStorage implements AutoCloseable {
  private final S3Client s3;
  private final S3Presigner presigner;
  private final AwsCredentialsProvider credentials;
  private final String region;
  private final String bucket;
  private final String bucketUrl;
  private final Clock clock;

  /** An object read back: its bytes, S3 ETag (without quotes), size and stored content type. */
  public record StoredObject(byte[] content, String etag, long size, String contentType) {}

  /** A short-lived link to read an object. */
  public record Link(String url, Instant expiresAt) {}

  /** The object is not (or no longer) in the bucket. */
  public static final class MissingObject extends RuntimeException {
    MissingObject(String key) {
      super("no object " + key, null, false, false);
    }
  }

  /** The object is larger than the caller allows; nothing beyond the limit was read. */
  public static final class TooLarge extends RuntimeException {
    final long size;

    TooLarge(long size) {
      super("object of " + size + " bytes", null, false, false);
      this.size = size;
    }
  }

  public ReceiptStorage(
      S3Client s3,
      S3Presigner presigner,
      AwsCredentialsProvider credentials,
      String region,
      String bucket,
      Clock clock) {
    this.s3 = s3;
    this.presigner = presigner;
    this.credentials = credentials;
    this.region = region;
    this.bucket = bucket;
    this.clock = clock;
    // S3Utilities knows the addressing (virtual-hosted or path-style, partition DNS suffix): ask it
    // for a key's URL and keep the bucket part, which is where a POST form goes.
    String probe = s3.utilities().getUrl(b -> b.bucket(bucket).key("k")).toString();
    this.bucketUrl = probe.substring(0, probe.length() - 1);
  }

  /**
   * Clients from the settings: the endpoint override and static keys locally, the default chain on
   * AWS.
   */
  public static ReceiptStorage create(BackofficeConfig config, Clock clock) {
    String region = config.get(BackofficeSettings.AWS_REGION);
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
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    S3Presigner.Builder p =
        S3Presigner.builder().region(Region.of(region)).credentialsProvider(credentials);
    if (local) {
      b.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
      p.endpointOverride(URI.create(endpoint))
          .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
    }
    return new ReceiptStorage(
        b.build(), p.build(), credentials, region, config.get(ReceiptSettings.BUCKET), clock);
  }

  public String bucket() {
    return bucket;
  }

  /**
   * A form upload to {@code key}: exactly {@code contentType}, 1..maxBytes bytes, valid for {@code
   * ttl}.
   */
  public PresignedPostPolicy.Upload presignUpload(
      String key, String contentType, long maxBytes, Duration ttl) {
    AwsCredentials c = credentials.resolveCredentials();
    String token = c instanceof AwsSessionCredentials s ? s.sessionToken() : null;
    return PresignedPostPolicy.sign(
        new PresignedPostPolicy.Signer(c.accessKeyId(), c.secretAccessKey(), token, region),
        new PresignedPostPolicy.Conditions(bucket, key, contentType, maxBytes),
        bucketUrl,
        clock.instant(),
        ttl);
  }

  /** A presigned GET of {@code key}, valid for {@code ttl}. */
  public Link presignGet(String key, Duration ttl) {
    var signed =
        presigner.presignGetObject(
            b -> b.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(key)));
    return new Link(signed.url().toString(), signed.expiration());
  }

  /**
   * Reads {@code key} whole, refusing (before reading the body) an object over {@code maxBytes}.
   *
   * @throws MissingObject when the key does not exist
   * @throws TooLarge when the object is larger than maxBytes
   */
  public StoredObject read(String key, long maxBytes) {
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
      GetObjectResponse r = in.response();
      long size = r.contentLength() == null ? -1 : r.contentLength();
      if (size > maxBytes) throw new TooLarge(size);
      byte[] bytes = readAtMost(in, maxBytes);
      if (bytes == null) throw new TooLarge(size);
      return new StoredObject(bytes, unquote(r.eTag()), bytes.length, r.contentType());
    } catch (NoSuchKeyException e) {
      throw new MissingObject(key);
    } catch (IOException e) {
      throw new UncheckedIOException("reading s3://" + bucket + "/" + key, e);
    }
  }

  /** S3 quotes ETags in headers but not in event notifications; we store them bare. */
  public static String unquote(String etag) {
    if (etag == null) return null;
    String e = etag.trim();
    return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")
        ? e.substring(1, e.length() - 1)
        : e;
  }

  private static byte[] readAtMost(InputStream in, long maxBytes) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    return bytes.length > maxBytes ? null : bytes;
  }

  @Override
  public void close() {
    presigner.close();
    s3.close();
  }
}
