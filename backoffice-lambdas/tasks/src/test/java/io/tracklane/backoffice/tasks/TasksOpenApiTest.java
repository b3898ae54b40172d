package io.tracklane.backoffice.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.OpenApiFragmentCheck;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI fragment describes exactly what the handler serves, in the shape local-api merges.
 */
class TasksOpenApiTest {
  private static TaskTestKit kit;
  private static Map<String, Object> doc;

  @BeforeAll
  static void load() throws Exception {
    kit = new TaskTestKit();
    doc = OpenApiFragmentCheck.load("openapi/tasks.yaml");
  }

  @AfterAll
  static void close() {
    kit.close();
  }

  @Test
  void coversExactlyTheHandlersOperations() {
    OpenApiFragmentCheck.assertCoversExactly(doc, "tasks", kit.handler.operations());
  }

  @Test
  void schemasArePrefixedAndInputsStrict() {
    OpenApiFragmentCheck.assertComponentsPrefixed(doc, "Tasks");
    Map<String, Object> components = map(doc.get("components"));
    Map<String, Object> schemas = map(components.get("schemas"));
    for (String input : List.of("TasksTaskInput", "TasksCancelInput")) {
      Map<String, Object> s = map(schemas.get(input));
      assertEquals(false, s.get("additionalProperties"), input);
      assertEquals("object", s.get("type"), input);
      assertNotNull(s.get("required"), input);
    }
    assertEquals(
        Set.copyOf(NewTask.FIELDS),
        map(map(schemas.get("TasksTaskInput")).get("properties")).keySet());
    assertEquals(
        List.of("routeId", "title", "bonusAmount", "bonusCurrency", "windowStart", "windowEnd"),
        map(schemas.get("TasksTaskInput")).get("required"));
    // every task field the handler writes is documented
    Set<String> taskProps = map(map(schemas.get("TasksTask")).get("properties")).keySet();
    String id = kit.createTask("shape");
    Set<String> written = kit.get(id, TaskTestKit.ADMIN).body().fieldNames();
    assertTrue(taskProps.containsAll(written), written + " ⊆ " + taskProps);
  }

  private static Map<String, Object> map(Object o) {
    return OpenApiFragmentCheck.map(o);
  }
}
