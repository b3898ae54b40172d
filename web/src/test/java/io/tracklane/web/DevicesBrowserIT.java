package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.auth.AuthSettings;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.localstack.LocalStack;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rider app's "Phone apps" screen in a real browser (Debian's Chromium driven by
 * playwright-core from {@code src/test/js/devices.test.mjs}) against the whole local stack: the
 * rider adds a phone, the page shows its key and the OwnTracks / Traccar Client setup once, then
 * the rider revokes it. This test then checks what was stored: only the SHA-256 of the key the page
 * showed, the setup built from the stack's device settings (passed through to the back office), and
 * the revocation by the rider; then the admin console's Users tab lists the rider's second phone
 * and revokes it (revoked_by the admin). Screenshots: {@code target/rider-devices-setup.png},
 * {@code target/rider-devices-list.png} (360×800 at 2×), {@code target/admin-user-devices.png}.
 */
class DevicesBrowserIT {
  static final Duration STEP = Duration.ofSeconds(60);
  static final String HOSTILE = "<img src=x onerror=alert(1)><b>Pixel</b>";
  static final String LAN_ORIGIN = "http://192.168.1.20:8080";

  static final List<String> SHOTS =
      List.of("rider-devices-setup.png", "rider-devices-list.png", "admin-user-devices.png");

  static LocalStack stack;

  @BeforeAll
  static void start() throws Exception {
    BrowserKit.assumeBrowser();
    stack =
        LocalStack.start(
            null,
            Map.of(
                AuthSettings.DEVICE_HTTP_ORIGIN.env(),
                LAN_ORIGIN,
                AuthSettings.DEVICE_MQTT_HOST.env(),
                "192.168.1.20"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) stack.close();
  }

  @Test
  void aRiderAddsAPhoneSeesItsSetupOnceAndRevokesIt() throws Exception {
    for (String shot : SHOTS) {
      Files.deleteIfExists(BrowserKit.TARGET.resolve(shot));
    }
    String setupLine;
    String adminLine;
    try (BrowserKit.Script script =
        BrowserKit.Script.start(
            "devices.test.mjs",
            BrowserKit.TARGET.resolve("devices-browser.log"),
            STEP,
            Map.of(
                "RIDER_URL",
                "http://127.0.0.1:" + stack.gateway.httpPort() + "/rider/",
                "RIDER_USERNAME",
                "rider1",
                "RIDER_PASSWORD",
                stack.seeded.passwords().get("rider1"),
                "DEVICE_NAME",
                HOSTILE,
                "ADMIN_URL",
                "http://127.0.0.1:" + stack.gateway.httpPort() + "/admin/",
                "ADMIN_USERNAME",
                "admin",
                "ADMIN_PASSWORD",
                stack.seeded.passwords().get("admin"),
                "SCREENSHOT_DIR",
                BrowserKit.TARGET.toString()))) {
      setupLine = script.await("SETUP ");
      adminLine = script.await("ADMIN ");
      script.await("DONE");
      script.assertPassed();
    }
    JsonObject shown = new JsonObject(setupLine.substring("SETUP ".length()));
    String key = shown.getString("key");

    // what the page showed is what the settings say, for this rider
    assertEquals(LAN_ORIGIN + "/v1/osmand", shown.getString("serverUrl"));
    assertEquals("192.168.1.20", shown.getString("host"));
    assertEquals("rider1", shown.getString("user"));
    JsonObject config = shown.getJsonObject("config");
    assertEquals(key, config.getString("password"));
    assertEquals(1, config.getInteger("monitoring"));

    // stored: the name verbatim, the key only as its hash, revoked by the rider
    DbRow row =
        stack
            .backoffice
            .db()
            .one(
                "SELECT d.name, d.key_hash, d.topic_device, d.revoked_at, d.revoked_by, u.username "
                    + "FROM rider_devices d JOIN users u ON u.id = d.user_id WHERE d.id = $1",
                shown.getString("deviceId"));
    assertNotNull(row, "the device the page showed exists");
    assertEquals(HOSTILE, row.getString("name"));
    assertEquals("rider1", row.getString("username"));
    assertEquals(sha256(key), row.getString("key_hash"));
    assertEquals(config.getString("deviceId"), row.getString("topic_device"));
    assertNotNull(row.getOffsetDateTime("revoked_at"), "revoked");
    assertEquals(
        stack.backoffice.db().one("SELECT id FROM users WHERE username = 'rider1'").getString("id"),
        row.getString("revoked_by"));

    // the second phone: revoked from the admin console, by the admin
    String second = new JsonObject(adminLine.substring("ADMIN ".length())).getString("deviceId");
    DbRow byAdmin =
        stack
            .backoffice
            .db()
            .one("SELECT revoked_at, revoked_by FROM rider_devices WHERE id = $1", second);
    assertNotNull(byAdmin.getOffsetDateTime("revoked_at"), "revoked from the console");
    assertEquals(
        stack.backoffice.db().one("SELECT id FROM users WHERE username = 'admin'").getString("id"),
        byAdmin.getString("revoked_by"));

    for (String shot : SHOTS) {
      assertTrue(Files.size(BrowserKit.TARGET.resolve(shot)) > 10_000, "a real screenshot " + shot);
    }
  }

  static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
