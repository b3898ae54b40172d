package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's pure modules under Node's test runner ({@code src/test/js/dashboard/*.test.mjs}):
 * the track-completeness score in words and which stretches of a played-back track are marked.
 */
class DashboardJsModulesTest {
  @Test
  void trackCompletenessWordingAndMarks() throws Exception {
    NodeScripts.assumeNode();
    NodeScripts.Result r =
        NodeScripts.run(List.of("--test", "dashboard/track-completeness.test.mjs"));
    System.out.println(r.output());
    assertEquals(0, r.exit(), r.output());
    Matcher pass = Pattern.compile("(?m)^# pass (\\d+)$").matcher(r.output());
    assertTrue(
        pass.find() && Integer.parseInt(pass.group(1)) >= 3, "three tests ran: " + r.output());
    assertTrue(r.output().contains("# fail 0"), r.output());
  }
}
