package io.tracklane.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Paths of the repository and the deploy build, and the CI rule: under CI=true nothing is skipped.
 */
final class Repo {
  static final Path ROOT =
      Path.of(System.getProperty("tracklane.repo", "..")).toAbsolutePath().normalize();
  static final Path INFRA = ROOT.resolve("infra-terraform");
  static final Path ARTIFACTS =
      Path.of(System.getProperty("tracklane.artifacts", "target/artifacts")).toAbsolutePath();
  static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

  private Repo() {}

  /** Skips on a laptop without the tool; fails under CI=true. */
  static void requireTool(String tool, String why) {
    boolean present =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    if (CI && !present) throw new AssertionError(tool + " is not installed but CI=true: " + why);
    Assumptions.assumeTrue(present, tool + " is not installed: " + why);
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Path> files(Path dir, String... suffixes) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("/.terraform/"))
          .filter(
              p ->
                  suffixes.length == 0
                      || Stream.of(suffixes).anyMatch(s -> p.toString().endsWith(s)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record Run(int exit, String output) {}

  static Run run(Path dir, String... command) {
    try {
      Process p =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
      }
      return new Run(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
