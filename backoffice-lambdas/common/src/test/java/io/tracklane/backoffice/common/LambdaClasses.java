package io.tracklane.backoffice.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a unit's compiled classes refer to: the class names in their constant pools, read from the
 * bytes (a class that uses another names it there). Lets a unit's test prove that its Lambda code
 * uses no Vert.x runtime (no {@code Vertx}, no {@code Future}, no reactive SQL client): Vert.x's
 * JSON types are plain data and allowed.
 */
public final class LambdaClasses {
  /** Vert.x parts that need an event loop or belong to the reactive client. */
  public static final List<String> VERTX_RUNTIME =
      List.of(
          "io/vertx/core/Vertx",
          "io/vertx/core/Future",
          "io/vertx/core/Promise",
          "io/vertx/core/Context",
          "io/vertx/sqlclient/",
          "io/vertx/pgclient/");

  private LambdaClasses() {}

  /** "Foo.class refers to io/vertx/core/Vertx" for each main class of {@code anyClass}'s module. */
  public static List<String> referencesTo(Class<?> anyClass, List<String> prefixes) {
    Path root;
    try {
      root = Path.of(anyClass.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException(anyClass + " is not loaded from a classes folder: " + root);
    }
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        // constant-pool UTF-8 entries are plain bytes for ASCII names
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        for (String prefix : prefixes) {
          if (text.contains(prefix)) found.add(root.relativize(file) + " refers to " + prefix);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }
}
