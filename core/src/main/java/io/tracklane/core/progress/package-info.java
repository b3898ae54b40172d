/**
 * Live progress of delivery tasks along predefined routes.
 *
 * <p>A {@link io.tracklane.core.progress.TaskProgressTracker} per task turns the rider's fixes into
 * {@link io.tracklane.core.progress.ProgressUpdate}s and {@link io.tracklane.core.progress.Alert}s
 * (off route / back on route with hysteresis, checkpoints in order, stopped / moving, arrived) and
 * keeps an ETA. The route ({@link io.tracklane.core.progress.RouteGeometry}) is immutable,
 * precomputed once and shared by all trackers on it; the trackers are pure state machines (no
 * clock, no I/O), each owned by one event loop. Defaults and their reasons are on {@link
 * io.tracklane.core.progress.ProgressConfig}; how fixes are placed on routes that cross or retrace
 * themselves is on {@code RouteMatcher}.
 */
package io.tracklane.core.progress;
