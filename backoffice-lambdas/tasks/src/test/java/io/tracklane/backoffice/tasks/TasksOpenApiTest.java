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

  @Test
  void trackCompletenessIsDocumentedFieldForField() {
    Map<String, Object> schemas = map(map(doc.get("components")).get("schemas"));
    assertTrue(
        map(map(schemas.get("TasksTask")).get("properties")).containsKey("trackCompleteness"));
    Map<String, Object> schema = map(schemas.get("TasksTrackCompleteness"));
    var written =
        TrackCompleteness.of(
                TrackCompletenessTest.plantedRide(),
                TrackCompletenessTest.T0,
                TrackCompletenessTest.T0 + 1_200_000,
                10_000,
                false)
            .toJson();
    assertEquals(written.fieldNames(), map(schema.get("properties")).keySet());
    assertEquals(Set.copyOf(written.fieldNames()), Set.copyOf((List<?>) schema.get("required")));
    Map<String, Object> props = map(schema.get("properties"));
    assertEquals(
        written.getJsonArray("gaps").getJsonObject(0).fieldNames(),
        map(map(map(props.get("gaps")).get("items")).get("properties")).keySet());
    assertEquals(
        written.getJsonArray("lateBursts").getJsonObject(0).fieldNames(),
        map(map(map(props.get("lateBursts")).get("items")).get("properties")).keySet());
  }

  private static Map<String, Object> map(Object o) {
    return OpenApiFragmentCheck.map(o);
  }
}
