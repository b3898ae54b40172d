package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskSql.one;
import static io.tracklane.backoffice.tasks.TaskSql.utc;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Database;
import io.tracklane.backoffice.common.FieldError;
import io.tracklane.backoffice.common.PageCursor;
import io.tracklane.backoffice.tasks.Earnings.LedgerEntry;
import io.tracklane.backoffice.tasks.Earnings.Total;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
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
    var pool = ctx.db().pool();
    if (one(
            Database.await(
                pool.preparedQuery("SELECT 1 FROM users WHERE id = $1").execute(Tuple.of(riderId))))
        == null) {
      throw ApiException.notFound("no rider " + riderId);
    }
    List<Total> totals = new ArrayList<>();
    for (Row r :
        Database.await(
            pool.preparedQuery(
                    "SELECT currency, sum(amount) AS amount FROM rider_ledger "
                        + "WHERE rider_id = $1 GROUP BY currency ORDER BY currency")
                .execute(Tuple.of(riderId)))) {
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
    String sql =
        "SELECT id, task_id, kind, amount, currency, note, created_at FROM rider_ledger WHERE rider_id = $1 "
            + (after == null ? "" : "AND (created_at, id) < ($3::timestamptz, $4) ")
            + "ORDER BY created_at DESC, id DESC LIMIT $2";
    Tuple params =
        after == null
            ? Tuple.of(riderId, (long) limit + 1)
            : Tuple.of(riderId, (long) limit + 1, utc(after.at()), afterId);
    RowSet<Row> rows = Database.await(pool.preparedQuery(sql).execute(params));
    List<LedgerEntry> entries = new ArrayList<>();
    for (Row r : rows) {
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
  static boolean creditBonus(SqlConnection conn, Task task) {
    // The unique (task_id, kind) key: a second credit for the same task is impossible.
    RowSet<Row> credited =
        Database.await(
            conn.preparedQuery(
                    "INSERT INTO rider_ledger (rider_id, task_id, kind, "
                        + "amount, currency, note) VALUES ($1, $2, 'task_bonus', $3, $4, $5) "
                        + "ON CONFLICT (task_id, kind) DO NOTHING RETURNING id")
                .execute(
                    Tuple.of(
                        task.claimedBy(),
                        task.id(),
                        Numeric.create(task.bonusAmount()),
                        task.bonusCurrency(),
                        "bonus for task " + task.id())));
    return credited.size() == 1;
  }
}
