package io.tracklane.backoffice.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A report run's transaction on the real database: a REPEATABLE READ snapshot (a row committed by
 * another connection mid-run is not seen, so the tables agree with each other), its memory and JIT
 * settings, and a session back in autocommit with the defaults afterwards. Over JDBC a missing
 * BEGIN would turn SET TRANSACTION into a warning and the run into statement-by-statement
 * snapshots, silently.
 */
class ReportSnapshotTest {
  static BackofficeContext ctx;

  @BeforeAll
  static void start() {
    ctx = TestDatabase.freshContext();
  }

  @AfterAll
  static void stop() {
    ctx.close();
  }

  @Test
  void theRunReadsOneSnapshotAndLeavesTheSessionAsItFoundIt() {
    ctx.db()
        .withSession(
            sql -> {
              ReportService.beginSnapshot(sql);
              assertEquals("repeatable read", sql.one("SHOW transaction_isolation").getString(0));
              assertEquals("64MB", sql.one("SHOW work_mem").getString(0));
              assertEquals("off", sql.one("SHOW jit").getString(0));
              long before = sql.one("SELECT count(*) FROM users").getLong(0);

              // another connection commits a row while the run reads
              ctx.db()
                  .update(
                      "INSERT INTO users (id, username, display_name, role, password_hash) "
                          + "VALUES ('late', 'late', 'Late', 'rider', 'x')");

              assertEquals(
                  before,
                  sql.one("SELECT count(*) FROM users").getLong(0),
                  "the run saw a row committed after its snapshot");
              ReportService.commit(sql.connection());

              assertEquals(
                  before + 1, sql.one("SELECT count(*) FROM users").getLong(0), "after the run");
              assertEquals("read committed", sql.one("SHOW transaction_isolation").getString(0));
              assertEquals(
                  ctx.db().one("SHOW work_mem").getString(0),
                  sql.one("SHOW work_mem").getString(0));
              return null;
            });
  }

  @Test
  void aRolledBackRunLeavesNothingAndTheSessionInAutocommit() {
    ctx.db()
        .withSession(
            sql -> {
              ReportService.beginSnapshot(sql);
              sql.update(
                  "INSERT INTO users (id, username, display_name, role, password_hash) "
                      + "VALUES ('gone', 'gone', 'Gone', 'rider', 'x')");
              ReportService.safeRollback(sql.connection());

              assertEquals(0L, sql.one("SELECT count(*) FROM users WHERE id = 'gone'").getLong(0));
              // autocommit again: this row is visible to another connection at once
              sql.update(
                  "INSERT INTO users (id, username, display_name, role, password_hash) "
                      + "VALUES ('kept', 'kept', 'Kept', 'rider', 'x')");
              assertEquals(
                  1L, ctx.db().one("SELECT count(*) FROM users WHERE id = 'kept'").getLong(0));
              return null;
            });
  }
}
