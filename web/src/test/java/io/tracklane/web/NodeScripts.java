package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a Node.js command in {@code src/test/js} and returns what it printed. */
final class NodeScripts {
  static final Path JS_DIR = BrowserKit.JS_DIR;

  private NodeScripts() {}

  /** Skips the test (outside CI) when Node.js is missing; under {@code CI=true} it always runs. */
  static void assumeNode() {
    assumeTrue(
        "true".equals(System.getenv("CI")) || BrowserKit.onPath("node"),
        "needs Node.js; under CI=true it always runs");
  }

  /** {@code node args…}: exit code and stdout+stderr; fails after a minute. */
  static Result run(List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("node");
    command.addAll(args);
    Process p =
        new ProcessBuilder(command).directory(JS_DIR.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(1, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("node " + args + " did not end within a minute");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  record Result(int exit, String output) {}
}
