package io.tracklane.backoffice.tasks;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * What completing a task needs before its track is read: who rides it, along which route, when it
 * was started and when completion was asked (the database clock).
 */
public record CompletionTarget(
    String taskId,
    String riderId,
    String routeId,
    JsonObject geometry,
    JsonArray checkpoints,
    Instant startedAt,
    Instant askedAt) {}
