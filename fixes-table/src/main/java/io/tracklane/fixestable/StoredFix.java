package io.tracklane.fixestable;

import io.tracklane.core.fix.Fix;

/**
 * One item of the fixes table as stored.
 *
 * @param receivedAt gateway time the fix arrived, epoch ms (null on items written before it was stored)
 */
public record StoredFix(String taskId, String riderId, Fix fix, Long receivedAt) {}
