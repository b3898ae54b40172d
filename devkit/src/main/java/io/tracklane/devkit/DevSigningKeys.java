package io.tracklane.devkit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;

/**
 * Development JWT signing keys: one EC P-256 (ES256) key pair with a key id. Production keys come
 * from AWS SSM; these exist so local runs and tests can mint tokens the gateway accepts.
 *
 * <p>JWKs follow RFC 7518: base64url without padding, coordinates and {@code d} left-padded to 32
 * bytes (BigInteger encodings may be shorter, or carry a sign byte).
 */
public final class DevSigningKeys {

  /** Private JWK file kept by {@link #loadOrCreate(Path)}. */
  public static final String PRIVATE_JWK_FILE = "signing-key.jwk.json";

  /** Public JWKS file kept by {@link #loadOrCreate(Path)}. */
  public static final String JWKS_FILE = "jwks.json";

  private static final String CURVE = "secp256r1";
  private static final int COORDINATE_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64URL_DEC = Base64.getUrlDecoder();

  /** FileChannel.lock is per process; this serialises threads of the same JVM around it. */
  private static final Object FILE_LOCK = new Object();

  private final ECPublicKey publicKey;
  private final ECPrivateKey privateKey;
  private final String kid;

  private DevSigningKeys(ECPublicKey publicKey, ECPrivateKey privateKey, String kid) {
    this.publicKey = publicKey;
    this.privateKey = privateKey;
    this.kid = kid;
  }

  /** A fresh P-256 key pair with a random kid. */
  public static DevSigningKeys generate() {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec(CURVE), RANDOM);
      KeyPair pair = gen.generateKeyPair();
      byte[] kidBytes = new byte[12];
      RANDOM.nextBytes(kidBytes);
      return new DevSigningKeys(
          (ECPublicKey) pair.getPublic(),
          (ECPrivateKey) pair.getPrivate(),
          "dev-" + B64URL.encodeToString(kidBytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available in this JRE", e);
    }
  }

  /**
   * Loads the key pair from {@code dir/signing-key.jwk.json}, or generates and stores it (mode 600
   * where POSIX) on first use. Also writes {@code dir/jwks.json} if missing or stale. Safe across
   * JVMs, so parallel test forks agree on one key.
   */
  public static DevSigningKeys loadOrCreate(Path dir) {
    Path privateFile = dir.resolve(PRIVATE_JWK_FILE);
    Path jwksFile = dir.resolve(JWKS_FILE);
    synchronized (FILE_LOCK) {
      try {
        Files.createDirectories(dir);
        try (FileChannel channel =
                FileChannel.open(
                    dir.resolve(".signing-key.lock"),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock ignored = channel.lock()) {
          DevSigningKeys keys;
          if (Files.exists(privateFile)) {
            keys = fromPrivateJwk(readJson(privateFile));
          } else {
            keys = generate();
            writeAtomically(privateFile, keys.privateJwk().encodePrettily(), true);
          }
          // Rewritten only if missing or stale (e.g. the private key file was replaced).
          if (!Files.exists(jwksFile) || !keys.jwks().equals(readJwksOrNull(jwksFile))) {
            keys.writeJwks(jwksFile);
          }
          return keys;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot load or create dev signing keys in " + dir, e);
      }
    }
  }

  /** Rebuilds a key pair from a private EC P-256 JWK (as written by {@link #privateJwk()}). */
  public static DevSigningKeys fromPrivateJwk(JsonObject jwk) {
    if (!"EC".equals(jwk.getString("kty")) || !"P-256".equals(jwk.getString("crv"))) {
      throw new IllegalArgumentException(
          "Expected an EC P-256 JWK, got kty="
              + jwk.getString("kty")
              + " crv="
              + jwk.getString("crv"));
    }
    String x = jwk.getString("x");
    String y = jwk.getString("y");
    String d = jwk.getString("d");
    String kid = jwk.getString("kid");
    if (x == null || y == null || d == null || kid == null) {
      throw new IllegalArgumentException("Private JWK needs x, y, d and kid");
    }
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec(CURVE));
      ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
      KeyFactory kf = KeyFactory.getInstance("EC");
      ECPoint w = new ECPoint(unsigned(x), unsigned(y));
      ECPublicKey pub = (ECPublicKey) kf.generatePublic(new ECPublicKeySpec(w, spec));
      ECPrivateKey priv =
          (ECPrivateKey) kf.generatePrivate(new ECPrivateKeySpec(unsigned(d), spec));
      return new DevSigningKeys(pub, priv, kid);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid EC P-256 JWK (kid " + kid + ")", e);
    }
  }

  public String kid() {
    return kid;
  }

  /** Private JWK: kty, crv, x, y, d, kid, alg ES256, use sig. Keep it out of logs and VCS. */
  public JsonObject privateJwk() {
    return publicJwk().put("d", encode(privateKey.getS()));
  }

  /** Public JWK: kty, crv, x, y, kid, alg ES256, use sig. */
  public JsonObject publicJwk() {
    return new JsonObject()
        .put("kty", "EC")
        .put("crv", "P-256")
        .put("x", encode(publicKey.getW().getAffineX()))
        .put("y", encode(publicKey.getW().getAffineY()))
        .put("kid", kid)
        .put("alg", "ES256")
        .put("use", "sig");
  }

  /** {@code {"keys":[publicJwk]}}, the shape served at a JWKS endpoint. */
  public JsonObject jwks() {
    return new JsonObject().put("keys", new JsonArray().add(publicJwk()));
  }

  /** Writes {@link #jwks()} to {@code file} (creating parent dirs) and returns it. */
  public Path writeJwks(Path file) {
    try {
      writeAtomically(file, jwks().encodePrettily(), false);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write JWKS to " + file, e);
    }
  }

  /** A minter of ES256 tokens signed with this key, for the given issuer and audience. */
  public TokenMinter minter(String issuer, String audience) {
    return new TokenMinter(privateJwk(), issuer, audience);
  }

  @Override
  public String toString() {
    return "DevSigningKeys[kid=" + kid + "]"; // never the private part
  }

  // ---------------------------------------------------------------------------------------------

  private static String encode(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] fixed = new byte[COORDINATE_BYTES];
    if (raw.length > COORDINATE_BYTES) {
      // Only a leading sign byte may exceed the field size.
      System.arraycopy(raw, raw.length - COORDINATE_BYTES, fixed, 0, COORDINATE_BYTES);
    } else {
      System.arraycopy(raw, 0, fixed, COORDINATE_BYTES - raw.length, raw.length);
    }
    return B64URL.encodeToString(fixed);
  }

  private static BigInteger unsigned(String base64url) {
    byte[] bytes = B64URL_DEC.decode(base64url);
    if (bytes.length != COORDINATE_BYTES) {
      throw new IllegalArgumentException(
          "expected " + COORDINATE_BYTES + " bytes, got " + bytes.length);
    }
    return new BigInteger(1, bytes);
  }

  private static JsonObject readJson(Path file) throws IOException {
    try {
      return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      throw new IllegalStateException("Corrupt JSON in " + file + "; delete it to regenerate", e);
    }
  }

  private static JsonObject readJwksOrNull(Path file) throws IOException {
    try {
      return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      return null;
    }
  }

  /** Temp file + rename, so readers never see half a file; private files never exist as 644. */
  private static void writeAtomically(Path file, String content, boolean ownerOnly)
      throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path tmp =
        ownerOnly && posix
            ? Files.createTempFile(
                parent,
                ".tmp-",
                ".json",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.createTempFile(parent, ".tmp-", ".json");
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      if (!ownerOnly && posix) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
