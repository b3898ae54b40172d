package io.tracklane.deploy.compose;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The docker-compose stack's token signing key: an EC P-256 private JWK generated on first start
 * into the local-api's data volume and read back afterwards (on AWS the key is an SSM SecureString;
 * it is never in an image or a compose file).
 */
public final class SigningKeyFile {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private SigningKeyFile() {}

  /**
   * Prints a fresh private JWK: the value to put into the SSM parameter of an AWS deployment,
   * {@code java -cp 'deploy/target/artifacts/docker/local-api/lib/*'
   * io.tracklane.deploy.compose.SigningKeyFile}.
   */
  public static void main(String[] args) {
    System.out.println(generate().encode());
  }

  public static String loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) return Files.readString(file, StandardCharsets.UTF_8);
    Files.createDirectories(file.toAbsolutePath().getParent());
    String jwk = generate().encode();
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "signing-key", ".tmp");
    Files.writeString(tmp, jwk, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    return jwk;
  }

  /** A fresh private JWK (kty EC, crv P-256, x, y, d, kid, alg ES256). */
  public static JsonObject generate() {
    try {
      SecureRandom random = new SecureRandom();
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), random);
      var pair = gen.generateKeyPair();
      ECPublicKey pub = (ECPublicKey) pair.getPublic();
      ECPrivateKey priv = (ECPrivateKey) pair.getPrivate();
      byte[] kid = new byte[9];
      random.nextBytes(kid);
      return new JsonObject()
          .put("kty", "EC")
          .put("crv", "P-256")
          .put("use", "sig")
          .put("alg", "ES256")
          .put("kid", "compose-" + B64URL.encodeToString(kid))
          .put("x", b64(pub.getW().getAffineX()))
          .put("y", b64(pub.getW().getAffineY()))
          .put("d", b64(priv.getS()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available in this JRE", e);
    }
  }

  /** Unsigned, left-padded to the curve's 32 bytes. */
  private static String b64(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] fixed = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, fixed, 32 - n, n);
    if (raw.length > 33)
      throw new IllegalStateException("not a P-256 value: " + Arrays.toString(raw));
    return B64URL.encodeToString(fixed);
  }
}
