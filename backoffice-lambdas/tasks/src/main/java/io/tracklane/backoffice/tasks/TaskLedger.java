package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskSql.utc;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.backoffice.common.DbRows;
import io.tracklane.backoffice.common.FieldError;
import io.tracklane.backoffice.common.PageCursor;
import io.tracklane.backoffice.common.SqlSession;
import io.tracklane.backoffice.tasks.Earnings.LedgerEntry;
import io.tracklane.backoffice.tasks.Earnings.Total;
import java.util.ArrayList;
import java.util.List;

/** The riders' ledger: crediting a task's bonus (at most once) and reading a rider's earnings. */
final class TaskLedger {
  private final BackofficeContext ctx;

  TaskLedger(BackofficeContext ctx) {
    this.ctx = ctx;
  }

  /**
   * A rider's ledger: totals per currency and a page of entries, newest first. 404 for an unknown
   * user.
   */
  Earnings earnings(String riderId, int limit, PageCursor.TimeKey after) {
    // one connection for the three reads
    return ctx.db().withSession(sql -> earnings(sql, riderId, limit, after));
  }

  private static Earnings earnings(
      SqlSession sql, String riderId, int limit, PageCursor.TimeKey after) {
    if (sql.one("SELECT 1 FROM users WHERE id = $1", riderId) == null) {
      throw ApiException.notFound("no rider " + riderId);
    }
    List<Total> totals = new ArrayList<>();
    for (DbRow r :
        sql.query(
            "SELECT currency, sum(amount) AS amount FROM rider_ledger "
                + "WHERE rider_id = $1 GROUP BY currency ORDER BY currency",
            riderId)) {
      totals.add(new Total(r.getString("currency"), Task.money(r.getBigDecimal("amount"))));
    }
    long afterId = 0;
    if (after != null) {
      try {
        afterId = Long.parseLong(after.id());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest(
            "cursor: is not a cursor returned by this operation",
            List.of(new FieldError("cursor", "is not a cursor returned by this operation")));
      }
    }
    Object[] params =
        after == null
            ? new Object[] {riderId, (long) limit + 1}
            : new Object[] {riderId, (long) limit + 1, utc(after.at()), afterId};
    DbRows rows =
        sql.query(
            "SELECT id, task_id, kind, amount, currency, note, created_at FROM rider_ledger WHERE rider_id = $1 "
                + (after == null ? "" : "AND (created_at, id) < ($3::timestamptz, $4) ")
                + "ORDER BY created_at DESC, id DESC LIMIT $2",
            params);
    List<LedgerEntry> entries = new ArrayList<>();
    for (DbRow r : rows) {
      if (entries.size() == limit) break;
      entries.add(
          new LedgerEntry(
              r.getLong("id"),
              r.getString("task_id"),
              r.getString("kind"),
              Task.money(r.getBigDecimal("amount")),
              r.getString("currency"),
              r.getString("note"),
              Task.instant(r, "created_at")));
    }
    String next = null;
    if (rows.size() > limit) {
      LedgerEntry last = entries.get(entries.size() - 1);
      next =
          new PageCursor.TimeKey(last.createdAt(), Long.toString(last.id()))
              .encode(PageCursor.LEDGER);
    }
    return new Earnings(riderId, totals, entries, next);
  }

  /** The task's bonus into its rider's ledger; false when it was credited before. */
  static boolean creditBonus(SqlSession sql, Task task) {
    // The unique (task_id, kind) key: a second credit for the same task is impossible.
    DbRows credited =
        sql.query(
            "INSERT INTO rider_ledger (rider_id, task_id, kind, "
                + "amount, currency, note) VALUES ($1, $2, 'task_bonus', $3, $4, $5) "
                + "ON CONFLICT (task_id, kind) DO NOTHING RETURNING id",
            task.claimedBy(),
            task.id(),
            task.bonusAmount(),
            task.bonusCurrency(),
            "bonus for task " + task.id());
    return credited.size() == 1;
  }
}
