package io.tracklane.gateway.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.device.OwnTracksCadence.Mode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class OwnTracksCadenceTest {
  @Test
  void moveModeEveryTenSecondsAndAFixNow() {
    var cmds = OwnTracksCadence.commands(Mode.SIGNIFICANT, Mode.MOVE);
    assertEquals(2, cmds.size());
    JsonObject set = cmds.get(0);
    assertEquals("cmd", set.getString("_type"));
    assertEquals("setConfiguration", set.getString("action"));
    JsonObject config = set.getJsonObject("configuration");
    assertEquals("configuration", config.getString("_type"));
    assertEquals(2, config.getInteger("monitoring"));
    assertEquals(10, config.getInteger("locatorInterval"));
    assertEquals(10, config.getInteger("moveModeLocatorInterval"));
    assertEquals("reportLocation", cmds.get(1).getString("action"));
  }

  @Test
  void fallbackIsSignificantChanges() {
    var cmds = OwnTracksCadence.commands(Mode.MOVE, Mode.SIGNIFICANT);
    assertEquals(1, cmds.size());
    assertEquals(1, cmds.get(0).getJsonObject("configuration").getInteger("monitoring"));
    assertTrue(OwnTracksCadence.commands(Mode.MOVE, Mode.MOVE).isEmpty());
  }

  @Test
  void httpDevicesAreToldOncePerChange() {
    OwnTracksCadence c = new OwnTracksCadence();
    assertEquals(1, c.httpReply("d1", Mode.SIGNIFICANT).size(), "first contact: current mode");
    assertEquals(new JsonArray(), c.httpReply("d1", Mode.SIGNIFICANT));
    assertEquals(2, c.httpReply("d1", Mode.MOVE).size());
    assertEquals(new JsonArray(), c.httpReply("d1", Mode.MOVE));
    assertEquals(1, c.httpReply("d1", Mode.SIGNIFICANT).size());
  }
}
