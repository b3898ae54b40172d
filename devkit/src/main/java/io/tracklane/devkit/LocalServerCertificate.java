package io.tracklane.devkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed TLS server certificate for 127.0.0.1 / localhost, made at start into a private
 * temporary directory and deleted with the JVM: local servers speak TLS like RDS does, and no key
 * is ever committed. Made with the {@code openssl} CLI when installed, else with the JDK's own
 * {@code keytool} (present wherever the project builds), and written as PEM, the format Postgres
 * reads.
 */
public final class LocalServerCertificate {
  private final Path certificate;
  private final Path privateKey;

  private LocalServerCertificate(Path certificate, Path privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
  }

  /** PEM certificate (also the CA to trust: it signs itself). */
  public Path certificate() {
    return certificate;
  }

  /** PEM PKCS#8 private key, readable by its owner only (Postgres refuses anything looser). */
  public Path privateKey() {
    return privateKey;
  }

  /** A new EC P-256 key and certificate valid 30 days, in a new temporary directory. */
  public static LocalServerCertificate create() {
    try {
      Path dir = Files.createTempDirectory("tracklane-tls-");
      dir.toFile().deleteOnExit();
      Path keyFile = dir.resolve("server.key");
      Path certFile = dir.resolve("server.crt");
      Files.createFile(
          keyFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      keyFile.toFile().deleteOnExit();
      certFile.toFile().deleteOnExit();
      if (!withOpenssl(keyFile, certFile)) withKeytool(dir, keyFile, certFile);
      return new LocalServerCertificate(certFile, keyFile);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not make a local TLS certificate: " + e, e);
    }
  }

  /** The {@code openssl} CLI in milliseconds; false when it is not installed. */
  private static boolean withOpenssl(Path keyFile, Path certFile) throws IOException {
    List<String> command =
        List.of(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            keyFile.toString(),
            "-out",
            certFile.toString(),
            "-days",
            "30",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1");
    try {
      run(command);
      return true;
    } catch (CommandMissing e) {
      return false;
    }
  }

  /** The JDK's keytool (a JVM start, about a second), then the key and certificate as PEM. */
  static void withKeytool(Path dir, Path keyFile, Path certFile)
      throws IOException, GeneralSecurityException {
    Path store = dir.resolve("server.p12");
    String password = UUID.randomUUID().toString();
    run(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair",
            "-alias",
            "server",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=localhost",
            "-ext",
            "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
            "-validity",
            "30",
            "-storetype",
            "PKCS12",
            "-keystore",
            store.toString(),
            "-storepass",
            password,
            "-keypass",
            password));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, password.toCharArray());
    } finally {
      Files.delete(store);
    }
    Key key = ks.getKey("server", password.toCharArray());
    Certificate cert = ks.getCertificate("server");
    Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
    Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
  }

  /** The program is not on this machine. */
  private static final class CommandMissing extends IOException {
    CommandMissing(IOException cause) {
      super(cause);
    }
  }

  private static void run(List<String> command) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new CommandMissing(e);
    }
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(command.get(0) + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making a certificate", e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
