package io.tracklane.backoffice.tasks;

import io.tracklane.backoffice.common.PageCursor;

/**
 * Filters of a task list. {@code near} = {lat, lon} with {@code radiusKm}; {@code after} = the
 * decoded cursor; {@code claimedBy} restricts to one rider's tasks ({@code GET /riders/me/tasks}).
 */
public record TaskFilter(
    String status,
    double[] near,
    Double radiusKm,
    int limit,
    PageCursor.TimeKey after,
    String claimedBy) {}
