package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The admin console's pure modules under Node's test runner ({@code src/test/js/admin/*.test.mjs}):
 * the GCJ-02 inverse against the forward shift on ten cities and a grid over China, within 0.5 m
 * both ways.
 */
class AdminJsModulesTest {
  @Test
  void gcjInverseIsWithinHalfAMetreOfTheForwardShift() throws Exception {
    NodeScripts.assumeNode();
    NodeScripts.Result r = NodeScripts.run(List.of("--test", "admin/gcj-inverse.test.mjs"));
    System.out.println(r.output());
    assertEquals(0, r.exit(), r.output());
    Matcher pass = Pattern.compile("(?m)^# pass (\\d+)$").matcher(r.output());
    assertTrue(
        pass.find() && Integer.parseInt(pass.group(1)) >= 5, "five tests ran: " + r.output());
    assertTrue(r.output().contains("# fail 0"), r.output());
  }
}
