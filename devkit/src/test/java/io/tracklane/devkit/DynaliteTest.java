package io.tracklane.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DynaliteTest {

  @Test
  void ensureInstalledReturnsTheCli() {
    Path cli = Dynalite.ensureInstalled();
    assertTrue(Files.isRegularFile(cli), cli.toString());
    assertEquals("cli.js", cli.getFileName().toString());
    assertEquals(cli, Dynalite.ensureInstalled());
  }

  @Test
  void inMemoryInstanceServesAndStops() throws Exception {
    Dynalite d = Dynalite.start();
    int port = d.port();
    try {
      assertTrue(port > 0);
      assertEquals("http://127.0.0.1:" + port, d.endpoint());
      assertTrue(d.isRunning());
      DynamoHttp http = new DynamoHttp(d.endpoint());
      String table = http.createTable("mem");
      assertEquals(
          new JsonArray().add(table),
          http.ok("ListTables", new JsonObject()).getJsonArray("TableNames"));
    } finally {
      d.close();
    }
    assertFalse(d.isRunning());
    assertThrows(
        IOException.class,
        () -> {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
          }
        });
  }

  @Test
  void inMemoryDataIsLostOnRestart() throws Exception {
    try (Dynalite d = Dynalite.start()) {
      DynamoHttp http = new DynamoHttp(d.endpoint());
      http.createTable("gone");
      d.restart();
      assertTrue(d.isRunning());
      assertEquals(0, http.ok("ListTables", new JsonObject()).getJsonArray("TableNames").size());
    }
  }

  @Test
  void dataDirSurvivesRestartAndNewProcess(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("db");
    Dynalite d = Dynalite.start(0, data);
    int port = d.port();
    String table;
    try {
      DynamoHttp http = new DynamoHttp(d.endpoint());
      table = http.createTable("persist");
      http.ok("BatchWriteItem", DynamoHttp.batchPut(table, 3));

      d.restart();

      assertEquals(port, d.port(), "restart keeps the port");
      assertEquals(3, http.count(table));
      d.stop();
      assertFalse(d.isRunning());
    } finally {
      d.close();
    }

    // A brand-new launcher on the same dir and port sees the same data.
    try (Dynalite again = Dynalite.start(port, data)) {
      DynamoHttp http = new DynamoHttp(again.endpoint());
      JsonObject item =
          http.ok(
              "GetItem",
              new JsonObject()
                  .put("TableName", table)
                  .put("Key", new JsonObject().put("id", new JsonObject().put("S", "fix-2"))));
      assertEquals("52.522", item.getJsonObject("Item").getJsonObject("lat").getString("N"));
    }
  }

  @Test
  void startOnBusyPortFailsClearly() throws Exception {
    Dynalite shared = Dynalite.shared();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Dynalite.start(shared.port(), null));
    assertTrue(e.getMessage().contains(Integer.toString(shared.port())), e.getMessage());
    assertTrue(shared.isRunning());
  }

  @Test
  void sharedIsOneInstance() throws Exception {
    Dynalite a = Dynalite.shared();
    Dynalite b = Dynalite.shared();
    assertSame(a, b);
    assertTrue(a.isRunning());
    new DynamoHttp(a.endpoint()).ok("ListTables", new JsonObject());
  }
}
