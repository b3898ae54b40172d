package io.tracklane.backoffice.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The HTML report in a real browser: Debian's Chromium driven by playwright-core (the copy the web
 * module's browser tests install in {@code web/src/test/js}) opens the generated page and saves
 * {@code target/report-w47.png} as a test artifact. Outside CI the test is skipped when Chromium,
 * Node.js or playwright-core is missing; under {@code CI=true} it always runs.
 */
class ReportScreenshotIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path PLAYWRIGHT =
      Path.of("../../web/src/test/js/node_modules/playwright-core").toAbsolutePath().normalize();
  static final Path SCRIPT = Path.of("src/test/js/report-screenshot.cjs").toAbsolutePath();
  static final Path HTML = Path.of("target/report-w47.html").toAbsolutePath();
  static final Path SCREENSHOT = Path.of("target/report-w47.png").toAbsolutePath();
  static final Path LOG = Path.of("target/report-screenshot.log").toAbsolutePath();

  @Test
  void theHtmlReportRendersItsChartsInChromium() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    assumeTrue(
        ci || (Files.isExecutable(CHROMIUM) && Files.isDirectory(PLAYWRIGHT) && onPath("node")),
        "needs /usr/bin/chromium, Node.js and playwright-core (npm ci in web/src/test/js); under CI=true it always runs");
    String html;
    try (ReportTestKit kit = new ReportTestKit()) {
      kit.seed();
      Report report = kit.report(kit.generate("week", "2026-11-16").body().getString("id"));
      html = new String(kit.service.storage().read(report.htmlKey()), StandardCharsets.UTF_8);
    }
    Files.createDirectories(HTML.getParent());
    Files.writeString(HTML, html);
    Files.deleteIfExists(SCREENSHOT);
    ProcessBuilder pb = new ProcessBuilder("node", SCRIPT.toString()).redirectError(LOG.toFile());
    pb.environment()
        .putAll(
            Map.of(
                "PLAYWRIGHT_CORE",
                PLAYWRIGHT.toString(),
                "CHROMIUM",
                CHROMIUM.toString(),
                "REPORT_URL",
                HTML.toUri().toString(),
                "SCREENSHOT",
                SCREENSHOT.toString()));
    Process node = pb.start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(node.waitFor(120, TimeUnit.SECONDS), "the browser script ends");
    assertEquals(
        0,
        node.exitValue(),
        "the browser script passes; stdout:\n" + out + "\nlog:\n" + Files.readString(LOG));
    List<String> lines = out.lines().toList();
    // 7 days + 2 riders + 3 bars for each of CNY and MYR
    assertTrue(lines.contains("BARS 15"), out);
    assertTrue(lines.contains("SVGS 4"), out);
    assertTrue(lines.contains("EXTERNAL 0"), "self-contained: " + out);
    assertTrue(Files.size(SCREENSHOT) > 10_000, "a real screenshot at " + SCREENSHOT);
    System.out.println("report screenshot: " + SCREENSHOT);
  }

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
    }
    return false;
  }
}
