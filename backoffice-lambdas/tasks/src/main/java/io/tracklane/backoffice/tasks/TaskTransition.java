package io.tracklane.backoffice.tasks;

import java.util.List;
import java.util.Set;

/**
 * The task life cycle as a table: each transition's from-statuses, its to-status, who makes it, the
 * {@code task_events} type it writes, the columns it stamps and the condition it guards on. {@link
 * TaskTransitions} turns a row into one conditional UPDATE; nothing outside this table writes SQL
 * for a transition.
 *
 * <p>open → claimed (claim) → in_progress (start) → completed (complete, bonus credited once);
 * in_progress → needs_review (complete, but the ride was uploaded in a burst) → completed (approve)
 * or cancelled (reject); claimed → open (release); open/claimed/in_progress → cancelled (cancel);
 * open/claimed with window_end passed → expired (the sweep).
 */
enum TaskTransition {
  CLAIM(
      List.of(Task.OPEN),
      Task.CLAIMED,
      Actor.RIDER,
      "claimed",
      "claim",
      "claimed",
      Set.of(Stamp.CLAIMED),
      Guard.CLAIMABLE),
  RELEASE(
      List.of(Task.CLAIMED),
      Task.OPEN,
      Actor.CLAIMER,
      "released",
      "release",
      "released",
      Set.of(Stamp.UNCLAIMED),
      Guard.NONE),
  START(
      List.of(Task.CLAIMED),
      Task.IN_PROGRESS,
      Actor.CLAIMER,
      "started",
      "start",
      "started",
      Set.of(Stamp.STARTED),
      Guard.START_WINDOW),
  COMPLETE(
      List.of(Task.IN_PROGRESS),
      Task.COMPLETED,
      Actor.CLAIMER,
      "completed",
      "complete",
      "completed",
      Set.of(Stamp.COMPLETED),
      Guard.NONE),
  HOLD_FOR_REVIEW(
      List.of(Task.IN_PROGRESS),
      Task.NEEDS_REVIEW,
      Actor.CLAIMER,
      "held_for_review",
      "complete",
      "completed",
      Set.of(Stamp.COMPLETED),
      Guard.NONE),
  APPROVE(
      List.of(Task.NEEDS_REVIEW),
      Task.COMPLETED,
      Actor.ADMIN,
      "approved",
      "approve",
      "approved",
      Set.of(),
      Guard.NONE),
  REJECT(
      List.of(Task.NEEDS_REVIEW),
      Task.CANCELLED,
      Actor.ADMIN,
      "rejected",
      "reject",
      "rejected",
      Set.of(Stamp.UNCOMPLETED, Stamp.CANCELLED),
      Guard.NONE),
  CANCEL(
      List.of(Task.OPEN, Task.CLAIMED, Task.IN_PROGRESS),
      Task.CANCELLED,
      Actor.ADMIN,
      "cancelled",
      "cancel",
      "cancelled",
      Set.of(Stamp.CANCELLED),
      Guard.NONE),
  EXPIRE(
      List.of(Task.OPEN, Task.CLAIMED),
      Task.EXPIRED,
      Actor.SYSTEM,
      "expired",
      "expire",
      "expired",
      Set.of(),
      Guard.WINDOW_PASSED);

  /** A claimed task may be started this long before its window opens. */
  static final int START_EARLY_MINUTES = 15;

  /**
   * Who makes a transition (which role may call the operation is {@code Permissions}' decision).
   */
  enum Actor {
    /** Any rider, for themselves. */
    RIDER,
    /** The task's claimer; an admin completing on a rider's behalf acts as the claimer. */
    CLAIMER,
    ADMIN,
    /** The expiry sweep (events with no actor). */
    SYSTEM
  }

  /** A column change besides status and updated_at. */
  enum Stamp {
    CLAIMED("claimed_by = :claimer, claimed_at = now()"),
    UNCLAIMED("claimed_by = NULL, claimed_at = NULL"),
    STARTED("started_at = now()"),
    COMPLETED("completed_at = now()"),
    UNCOMPLETED("completed_at = NULL"),
    CANCELLED("cancelled_at = now(), cancel_reason = :reason");

    /** The SET item; {@code :claimer} and {@code :reason} are bound parameters. */
    final String set;

    Stamp(String set) {
      this.set = set;
    }
  }

  /** A time condition of the transition, checked by the database clock in the same UPDATE. */
  enum Guard {
    NONE(null),
    /** The window has not passed and the rider holds fewer than {@code :limit} active tasks. */
    CLAIMABLE(
        "t.window_end > now() AND (SELECT count(*) FROM tasks a WHERE a.claimed_by = :claimer "
            + "AND a.status IN ('"
            + Task.CLAIMED
            + "', '"
            + Task.IN_PROGRESS
            + "')) < :limit"),
    START_WINDOW(
        "now() >= t.window_start - interval '"
            + START_EARLY_MINUTES
            + " minutes' AND now() <= t.window_end"),
    WINDOW_PASSED("t.window_end <= now()");

    /**
     * The WHERE condition on the task {@code t}; {@code :claimer} and {@code :limit} are bound
     * parameters.
     */
    final String condition;

    Guard(String condition) {
      this.condition = condition;
    }
  }

  final List<String> from;
  final String to;
  final Actor actor;

  /** The {@code task_events} type. */
  final String event;

  /** How refusals name it: "only its claimer may {verb} it". */
  final String verb;

  /** "only a claimed task can be {pastTense}". */
  final String pastTense;

  final Set<Stamp> stamps;
  final Guard guard;

  TaskTransition(
      List<String> from,
      String to,
      Actor actor,
      String event,
      String verb,
      String pastTense,
      Set<Stamp> stamps,
      Guard guard) {
    this.from = from;
    this.to = to;
    this.actor = actor;
    this.event = event;
    this.verb = verb;
    this.pastTense = pastTense;
    this.stamps = stamps;
    this.guard = guard;
  }

  /** Whether the UPDATE is conditioned on the caller being the task's claimer. */
  boolean byClaimer() {
    return actor == Actor.CLAIMER;
  }

  /**
   * "a claimed task", "open, claimed or in-progress tasks": what the transition accepts, in
   * refusals.
   */
  String accepted() {
    if (from.size() == 1) return "a " + from.get(0) + " task";
    List<String> names = from.stream().map(s -> s.replace('_', '-')).toList();
    return String.join(", ", names.subList(0, names.size() - 1))
        + " or "
        + names.get(names.size() - 1)
        + " tasks";
  }
}
