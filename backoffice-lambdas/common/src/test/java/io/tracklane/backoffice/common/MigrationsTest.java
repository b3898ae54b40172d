package io.tracklane.backoffice.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void appliesOnceAndCreatesTheSchema() {
    try (BackofficeContext ctx = TestDatabase.freshContext()) {
      assertEquals(
          0, Database.await(Migrations.apply(ctx.db().pool())), "second run applies nothing");
      var tables =
          Database.await(
              ctx.db()
                  .pool()
                  .query(
                      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
                  .execute());
      java.util.Set<String> names = new java.util.HashSet<>();
      tables.forEach(r -> names.add(r.getString(0)));
      assertTrue(
          names.containsAll(
              java.util.Set.of(
                  "users",
                  "routes",
                  "tasks",
                  "task_events",
                  "rider_ledger",
                  "refresh_tokens",
                  "login_failures",
                  "schema_version")),
          names.toString());
    }
  }

  @Test
  void anOpenTaskCannotHaveARiderAndAClaimedOneMust() {
    try (BackofficeContext ctx = TestDatabase.freshContext()) {
      var pool = ctx.db().pool();
      Database.await(
          pool.query(
                  "INSERT INTO routes (id, lineage_id, name, geometry, checkpoints, length_m) "
                      + "VALUES ('r1', 'r1', 'r', '{}', '[]', 1)")
              .execute());
      var err =
          org.junit.jupiter.api.Assertions.assertThrows(
              io.vertx.pgclient.PgException.class,
              () ->
                  Database.await(
                      pool.query(
                              "INSERT INTO tasks (route_id, title, bonus_amount, bonus_currency, "
                                  + "window_start, window_end, status) VALUES ('r1', 't', 1, 'CNY', now(), now() + interval '1 h', 'claimed')")
                          .execute()));
      assertEquals("23514", err.getSqlState());
    }
  }

  @Test
  void theMigrationLambdaReportsTheSchemaVersion() {
    try (BackofficeContext ctx = TestDatabase.freshContext()) {
      var out = new MigrationHandler(ctx).handleRequest(Map.of(), null);
      assertEquals(0, out.get("applied"), "already applied by the test setup");
      assertEquals(Migrations.onClasspath().size(), out.get("schemaVersion"));
      assertEquals(
          (long) Migrations.onClasspath().size(),
          Database.await(ctx.db().pool().query("SELECT count(*) FROM schema_version").execute())
              .iterator()
              .next()
              .getLong(0));
    }
  }
}
