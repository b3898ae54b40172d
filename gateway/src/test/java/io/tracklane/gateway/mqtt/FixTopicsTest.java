package io.tracklane.gateway.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FixTopicsTest {

  @Test
  void taskIdOfAFixesTopic() {
    assertEquals("task-1", FixTopics.taskIdOf("tracklane/v1/tasks/task-1/fixes"));
    assertEquals("t", FixTopics.taskIdOf(FixTopics.fixesTopic("t")));
  }

  @Test
  void notAFixesTopic() {
    for (String t :
        new String[] {
          "tracklane/v1/tasks//fixes",
          "tracklane/v1/tasks/a/b/fixes",
          "tracklane/v1/tasks/a/fix",
          "tracklane/v2/tasks/a/fixes",
          "tracklane/v1/tasks/+/fixes",
          "tracklane/v1/tasks/#/fixes",
          "",
          "tracklane/v1/tasks/" + "x".repeat(129) + "/fixes",
          "tracklane/v1/tasks/a\u0001/fixes"
        }) {
      assertNull(FixTopics.taskIdOf(t), t);
    }
  }

  @Test
  void errorsFilters() {
    assertTrue(FixTopics.isErrorsFilter("tracklane/v1/tasks/+/errors"));
    assertTrue(FixTopics.isErrorsFilter("tracklane/v1/tasks/task-1/errors"));
    assertTrue(FixTopics.isErrorsFilter("tracklane/v1/errors"));
    assertFalse(FixTopics.isErrorsFilter("tracklane/v1/tasks/task-1/fixes"));
    assertFalse(FixTopics.isErrorsFilter("#"));
    assertTrue(
        FixTopics.filterMatches("tracklane/v1/tasks/+/errors", "tracklane/v1/tasks/t9/errors"));
    assertFalse(
        FixTopics.filterMatches("tracklane/v1/tasks/t1/errors", "tracklane/v1/tasks/t9/errors"));
  }
}
