package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rider app's pure modules under Node's test runner ({@code src/test/js/rider/*.test.mjs}): the
 * offline fix buffer (kept until the gateway's 200, oldest first in batches of 100, one entry per
 * task and ts, backoff, the gateway's refusals) and the offer list (snapshot, taken, withdrawn,
 * sorting by distance or bonus), the riding view's progress line (which live events carry it,
 * percent and ETA as text) and the strings (both languages complete, the browser language chosen).
 */
class RiderJsModulesTest {
  @Test
  void offlineBufferAndOfferList() throws Exception {
    NodeScripts.assumeNode();
    NodeScripts.Result r =
        NodeScripts.run(
            List.of(
                "--test",
                "rider/fix-outbox.test.mjs",
                "rider/offer-book.test.mjs",
                "rider/i18n.test.mjs",
                "rider/ride-progress.test.mjs"));
    System.out.println(r.output());
    assertEquals(0, r.exit(), r.output());
    Matcher pass = Pattern.compile("(?m)^# pass (\\d+)$").matcher(r.output());
    assertTrue(
        pass.find() && Integer.parseInt(pass.group(1)) >= 15, "fifteen tests ran: " + r.output());
    assertTrue(r.output().contains("# fail 0"), r.output());
  }
}
