package io.tracklane.backoffice.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void appliesOnceAndCreatesTheSchema() {
    try (BackofficeContext ctx = TestDatabase.freshContext()) {
      assertEquals(0, Migrations.apply(ctx.db()), "second run applies nothing");
      Set<String> names = new HashSet<>();
      ctx.db()
          .query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
          .forEach(r -> names.add(r.getString(0)));
      assertTrue(
          names.containsAll(
              Set.of(
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
      ctx.db()
          .update(
              "INSERT INTO routes (id, lineage_id, name, geometry, checkpoints, length_m) "
                  + "VALUES ('r1', 'r1', 'r', '{}', '[]', 1)");
      DatabaseException err =
          assertThrows(
              DatabaseException.class,
              () ->
                  ctx.db()
                      .update(
                          "INSERT INTO tasks (route_id, title, bonus_amount, bonus_currency, "
                              + "window_start, window_end, status) VALUES ('r1', 't', 1, 'CNY', now(), now() + interval '1 h', 'claimed')"));
      assertEquals("23514", err.sqlState());
    }
  }

  @Test
  void theMigrationLambdaReportsTheSchemaVersion() {
    try (BackofficeContext ctx = TestDatabase.freshContext()) {
      var out = new MigrationHandler(ctx).handleRequest(Map.of(), null);
      assertEquals(0, out.get("applied"), "already applied by the test setup");
      List<Migrations.Migration> all = Migrations.onClasspath();
      // the highest version, which need not be the count (numbers are reserved by open branches)
      assertEquals(all.get(all.size() - 1).version(), out.get("schemaVersion"));
      assertEquals(
          (long) Migrations.onClasspath().size(),
          ctx.db().one("SELECT count(*) FROM schema_version").getLong(0));
    }
  }
}
