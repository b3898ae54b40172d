package io.tracklane.backoffice.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.auth.Permissions;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI fragment describes exactly what the handler serves, in the shape local-api merges. */
class TasksOpenApiTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
  private static TaskTestKit kit;
  private static Map<String, Object> doc;

  @BeforeAll
  static void load() throws Exception {
    kit = new TaskTestKit();
    try (InputStream in = TasksOpenApiTest.class.getClassLoader().getResourceAsStream("openapi/tasks.yaml")) {
      assertNotNull(in, "openapi/tasks.yaml on the classpath");
      doc = new Yaml().load(in);
    }
  }

  @AfterAll
  static void close() {
    kit.close();
  }

  @Test
  void coversExactlyTheHandlersOperations() {
    assertEquals("3.0.3", doc.get("openapi"));
    Set<String> documented = new TreeSet<>();
    Set<String> operationIds = new HashSet<>();
    for (var path : map(doc.get("paths")).entrySet()) {
      for (var op : map(path.getValue()).entrySet()) {
        if (!METHODS.contains(op.getKey())) continue;
        String key = op.getKey().toUpperCase() + " " + path.getKey();
        documented.add(key);
        Map<String, Object> operation = map(op.getValue());
        assertEquals("tasks", operation.get("x-tracklane-function"), key);
        assertEquals(List.of(Map.of("tracklaneAuth", List.of())), operation.get("security"), key);
        String id = (String) operation.get("operationId");
        assertNotNull(id, key);
        assertTrue(operationIds.add(id), "unique operationId " + id);
        assertTrue(operation.containsKey("responses"), key);
      }
    }
    assertEquals(new TreeSet<>(kit.handler.operations()), documented);
    Set<String> permitted = new HashSet<>();
    Permissions.protectedOperations().forEach(o -> permitted.add(o.toString()));
    assertTrue(permitted.containsAll(documented), "every operation has a role in Permissions");
  }

  @Test
  void schemasArePrefixedAndInputsStrict() {
    Map<String, Object> components = map(doc.get("components"));
    for (String section : List.of("schemas", "parameters", "responses")) {
      for (String name : map(components.get(section)).keySet()) {
        assertTrue(name.startsWith("Tasks"), section + " " + name + " is prefixed Tasks");
      }
    }
    Map<String, Object> schemas = map(components.get("schemas"));
    for (String input : List.of("TasksTaskInput", "TasksCancelInput")) {
      Map<String, Object> s = map(schemas.get(input));
      assertEquals(false, s.get("additionalProperties"), input);
      assertEquals("object", s.get("type"), input);
      assertNotNull(s.get("required"), input);
    }
    assertEquals(Set.copyOf(NewTask.FIELDS), map(map(schemas.get("TasksTaskInput")).get("properties")).keySet());
    assertEquals(List.of("routeId", "title", "bonusAmount", "bonusCurrency", "windowStart", "windowEnd"),
        map(schemas.get("TasksTaskInput")).get("required"));
    // every task field the handler writes is documented
    Set<String> taskProps = map(map(schemas.get("TasksTask")).get("properties")).keySet();
    String id = kit.createTask("shape");
    Set<String> written = kit.get(id, TaskTestKit.ADMIN).body().fieldNames();
    assertTrue(taskProps.containsAll(written), written + " ⊆ " + taskProps);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
