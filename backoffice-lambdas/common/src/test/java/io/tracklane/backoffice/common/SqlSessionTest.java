package io.tracklane.backoffice.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JDBC layer against the embedded Postgres: parameters, types, transactions, errors. */
class SqlSessionTest {
  private static BackofficeContext ctx;

  @BeforeAll
  static void start() {
    ctx = TestDatabase.freshContext();
    ctx.db()
        .update(
            "CREATE TABLE kinds (id uuid PRIMARY KEY, name text, n int, big bigint, price numeric(12,2), "
                + "x double precision, ok boolean, at timestamptz, day date, doc jsonb, list jsonb, tags text[])");
  }

  @AfterAll
  static void stop() {
    ctx.close();
  }

  @Test
  void numberedParametersMayRepeatAndLiteralsAreLeftAlone() {
    DbRow r =
        ctx.db()
            .one(
                "SELECT $2::int + $1::int AS sum, $1::int * $1::int AS sq, '$1 ?' AS lit, "
                    + "\"n$1\".v -- $3 is only a comment\n FROM (SELECT 7 AS v) \"n$1\"",
                3,
                4);
    assertEquals(7, r.getInteger("sum"));
    assertEquals(9, r.getInteger("sq"));
    assertEquals("$1 ?", r.getString("lit"));
    assertEquals(7, r.getInteger("v"));
  }

  @Test
  void aJsonbQuestionMarkOperatorIsNotAParameter() {
    assertTrue(
        ctx.db()
            .one("SELECT $1::jsonb ? 'a' AS has", new JsonObject().put("a", 1))
            .getBoolean("has"));
  }

  @Test
  void everyColumnTypeComesBackAsItsJavaType() {
    UUID id = UUID.randomUUID();
    OffsetDateTime at =
        OffsetDateTime.of(2026, 12, 4, 8, 30, 15, 123_000_000, ZoneOffset.ofHours(8));
    int n =
        ctx.db()
            .update(
                "INSERT INTO kinds VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                id.toString(),
                "名字 <b>",
                42,
                9_000_000_000L,
                new BigDecimal("12.30"),
                1.5,
                true,
                at,
                LocalDate.of(2026, 12, 4),
                new JsonObject().put("k", "v"),
                new JsonArray().add(1).add("two"),
                List.of("a", "b"));
    assertEquals(1, n);
    DbRow r = ctx.db().one("SELECT * FROM kinds WHERE id = $1", id);
    assertEquals(id, r.getUUID("id"));
    assertEquals("名字 <b>", r.getString("name"));
    assertEquals(42, r.getInteger("n"));
    assertEquals(42L, r.getLong("n"));
    assertEquals(9_000_000_000L, r.getLong("big"));
    assertEquals(new BigDecimal("12.30"), r.getBigDecimal("price"));
    assertEquals(12.3, r.getDouble("price"));
    assertEquals(1.5, r.getDouble("x"));
    assertTrue(r.getBoolean("ok"));
    assertEquals(at.toInstant(), r.getOffsetDateTime("at").toInstant());
    assertEquals(ZoneOffset.UTC, r.getOffsetDateTime("at").getOffset());
    assertEquals(LocalDate.of(2026, 12, 4), r.getLocalDate("day"));
    assertEquals(new JsonObject().put("k", "v"), r.getJsonObject("doc"));
    assertEquals(new JsonArray().add(1).add("two"), r.getJsonArray("list"));
    assertArrayEquals(new String[] {"a", "b"}, r.getArrayOfStrings("tags"));
    assertThrows(ClassCastException.class, () -> r.getJsonObject("name"));
  }

  @Test
  void nullsComeBackAsNull() {
    UUID id = UUID.randomUUID();
    ctx.db().update("INSERT INTO kinds (id, n, doc) VALUES ($1, $2, $3)", id, null, null);
    DbRow r = ctx.db().one("SELECT n, doc, ok FROM kinds WHERE id = $1", id);
    assertNull(r.getInteger("n"));
    assertNull(r.getJsonObject("doc"));
    assertNull(r.getBoolean("ok"));
  }

  @Test
  void aFailedTransactionLeavesNothingBehind() {
    UUID id = UUID.randomUUID();
    assertThrows(
        IllegalStateException.class,
        () ->
            ctx.db()
                .inTransaction(
                    sql -> {
                      sql.update("INSERT INTO kinds (id, name) VALUES ($1, 'gone')", id);
                      throw new IllegalStateException("abort");
                    }));
    assertNull(ctx.db().one("SELECT id FROM kinds WHERE id = $1", id));
    assertEquals(
        "kept",
        ctx.db()
            .inTransaction(
                sql -> {
                  sql.update("INSERT INTO kinds (id, name) VALUES ($1, 'kept')", id);
                  return sql.one("SELECT name FROM kinds WHERE id = $1", id).getString("name");
                }));
    assertEquals("kept", ctx.db().one("SELECT name FROM kinds WHERE id = $1", id).getString(0));
  }

  @Test
  void aDuplicateKeyCarriesItsSqlState() {
    UUID id = UUID.randomUUID();
    ctx.db().update("INSERT INTO kinds (id) VALUES ($1)", id);
    DatabaseException e =
        assertThrows(
            DatabaseException.class,
            () -> ctx.db().update("INSERT INTO kinds (id) VALUES ($1)", id));
    assertEquals("23505", e.sqlState());
    assertEquals("23505", DatabaseErrors.sqlState(new RuntimeException(e)));
  }

  @Test
  void theWrongNumberOfArgumentsIsRefusedBeforeTheDatabase() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ctx.db().one("SELECT $1::int, $2::int", 1));
    assertTrue(e.getMessage().contains("takes 2 arguments, given 1"), e.getMessage());
  }

  @Test
  void batchesRunOnceForEachArgumentList() {
    int[] counts =
        ctx.db()
            .withSession(
                sql ->
                    sql.batch(
                        "INSERT INTO kinds (id, n) VALUES ($1, $2)",
                        List.of(
                            new Object[] {UUID.randomUUID(), 101},
                            new Object[] {UUID.randomUUID(), 101})));
    assertEquals(2, counts.length);
    assertEquals(2L, ctx.db().one("SELECT count(*) FROM kinds WHERE n = 101").getLong(0));
  }

  @Test
  void aPostgresUrlBecomesAJdbcUrlWithItsCredentialsApart() {
    Properties p = new Properties();
    assertEquals(
        "jdbc:postgresql://db.example:6543/tracklane?sslmode=require",
        Database.jdbcUrl("postgresql://app:p%40ss@db.example:6543/tracklane?sslmode=require", p));
    assertEquals("app", p.getProperty("user"));
    assertEquals("p@ss", p.getProperty("password"));
    assertThrows(
        IllegalArgumentException.class, () -> Database.jdbcUrl("mysql://x/y", new Properties()));
  }
}
