package io.tracklane.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pieces of the multi-instance run that need no server: load-balancer spread, hand-over. */
class ClusterRunPartsTest {

  @Test
  void ridersSpreadEvenlyOverTheGatewaysAndOffAFailedOneOntoTheOthers() {
    int n = 3;
    int riders = 30_000;
    int[] first = new int[n];
    int[] movedTo = new int[n];
    for (int i = 1; i <= riders; i++) {
      String id = MqttFleet.riderId(i);
      int t = Math.floorMod(MqttFleet.spread(id, 0), n);
      first[t]++;
      if (t == 2) {
        int other = MqttFleet.otherTarget(id, 2, n, 1);
        assertNotEquals(2, other, id + " moved back onto the failed gateway");
        movedTo[other]++;
      }
    }
    for (int t = 0; t < n; t++)
      assertTrue(
          Math.abs(first[t] - riders / n) < riders / n / 10, "gateway " + t + ": " + first[t]);
    assertEquals(0, movedTo[2]);
    assertTrue(
        Math.abs(movedTo[0] - movedTo[1]) < first[2] / 10,
        "the failed gateway's riders went " + movedTo[0] + " / " + movedTo[1]);
  }

  @Test
  void aSecondFailureMovesOnAgainButNeverToTheGatewayThatJustFailed() {
    for (int attempt = 1; attempt < 50; attempt++) {
      for (int failed = 0; failed < 4; failed++) {
        int t = MqttFleet.otherTarget("rider-7", failed, 4, attempt);
        assertTrue(t >= 0 && t < 4 && t != failed, "attempt " + attempt + " failed " + failed);
      }
    }
    assertEquals(0, MqttFleet.otherTarget("rider-7", 0, 1, 1), "a single gateway stays the target");
  }

  @Test
  void acknowledgedFixesSurviveTheTripFromADriverProcess() {
    var a =
        new MqttFleet.AckedFixes(
            "task-12",
            "rider-12",
            Set.of(1_764_200_000_001L, 1_764_200_010_002L),
            1_764_200_010_002L,
            31.123456,
            121.654321);
    assertEquals(a, AckedFixesLine.parse(AckedFixesLine.format(a)));
    var none = new MqttFleet.AckedFixes("task-3", "rider-3", Set.of(), -1, 0, 0);
    assertEquals(none, AckedFixesLine.parse(AckedFixesLine.format(none)));
  }
}
