package io.tracklane.backoffice.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracklane.backoffice.common.LambdaClasses;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reports functions run on Lambda's own thread with blocking clients: none of the unit's
 * classes uses a Vert.x instance, a Future or the reactive Postgres client (Vert.x's JSON types are
 * plain data and allowed).
 */
class NoVertxRuntimeTest {

  @Test
  void noClassOfTheUnitRefersToTheVertxRuntime() {
    assertEquals(
        List.of(), LambdaClasses.referencesTo(ReportsHandler.class, LambdaClasses.VERTX_RUNTIME));
  }
}
