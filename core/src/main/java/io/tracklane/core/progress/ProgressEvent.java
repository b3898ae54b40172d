package io.tracklane.core.progress;

import io.vertx.core.json.JsonObject;

/**
 * What a {@link TaskProgressTracker} emits for a fix: a {@link ProgressUpdate} or an {@link Alert}.
 */
public sealed interface ProgressEvent permits ProgressUpdate, Alert {
  String taskId();

  /** Epoch ms of the fix that caused the event. */
  long ts();

  /** The wire form; its {@code event} field is {@code "progress"} or {@code "alert"}. */
  JsonObject toJson();
}
