package io.tracklane.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both ways of making the local server certificate give a usable PEM pair for localhost. */
class LocalServerCertificateTest {

  @Test
  void theDefaultPairIsPrivateAndNamesLocalhost() throws Exception {
    LocalServerCertificate tls = LocalServerCertificate.create();
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.privateKey())));
    checkPair(tls.certificate(), tls.privateKey());
  }

  @Test
  void theKeytoolFallbackWritesTheSamePemPair(@TempDir Path dir) throws Exception {
    // the path taken where the openssl CLI is not installed
    Path key = dir.resolve("server.key");
    Path cert = dir.resolve("server.crt");
    LocalServerCertificate.withKeytool(dir, key, cert);
    checkPair(cert, key);
    assertTrue(Files.notExists(dir.resolve("server.p12")), "the keystore is not left behind");
  }

  private static void checkPair(Path certFile, Path keyFile) throws Exception {
    X509Certificate cert;
    try (InputStream in = Files.newInputStream(certFile)) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    cert.checkValidity();
    assertTrue(cert.getSubjectX500Principal().getName().contains("CN=localhost"));
    assertTrue(
        cert.getSubjectAlternativeNames().toString().contains("127.0.0.1"),
        String.valueOf(cert.getSubjectAlternativeNames()));
    String pem = Files.readString(keyFile);
    assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----"), pem.lines().findFirst().orElse(""));
    byte[] der =
        Base64.getMimeDecoder()
            .decode(pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").strip());
    var key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    assertEquals("EC", key.getAlgorithm());
    assertEquals("EC", cert.getPublicKey().getAlgorithm());
  }
}
