package io.tracklane.gateway.access;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Looks up the device a key belongs to. Keys are 32 random bytes, base64url without padding (43
 * characters, no dots); the back office stores only their SHA-256 (lower-case hex of the key's
 * UTF-8 bytes). A JWT always has two dots, which is how an MQTT CONNECT password is told apart.
 */
public interface DeviceKeys {
  /** No device keys (development without Postgres): every key is unknown. */
  DeviceKeys NONE =
      new DeviceKeys() {
        @Override
        public Future<Device> lookup(String key) {
          return Future.succeededFuture(null);
        }

        @Override
        public void told(String deviceId, boolean revoked) {}

        @Override
        public void forgetAll() {}
      };

  /** The device of an active (not revoked) key, or null; a failed lookup fails. */
  Future<Device> lookup(String key);

  /** The back office said the device was revoked (or deleted), or its row changed. */
  void told(String deviceId, boolean revoked);

  /** Forgets every cached answer (notifications may have been missed). */
  void forgetAll();

  /** Whether a credential has the shape of a device key (not a JWT, not empty, not huge). */
  static boolean looksLikeKey(String credential) {
    if (credential == null || credential.length() < 20 || credential.length() > 128) return false;
    for (int i = 0; i < credential.length(); i++) {
      char c = credential.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) return false;
    }
    return true;
  }

  /** What the back office stores of a key: lower-case hex SHA-256 of its UTF-8 bytes. */
  static String hash(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JVM", e);
    }
  }
}
