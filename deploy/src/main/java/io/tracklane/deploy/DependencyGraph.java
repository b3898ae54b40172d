package io.tracklane.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The deploy module's dependency graph, from {@code dependency:tree -Dverbose -DoutputType=json}
 * and the resolved files from {@code dependency:list -DoutputAbsoluteArtifactFilename}.
 *
 * <p>Maven resolves one flattened set per module: a library two units need is listed under
 * whichever unit came first. The verbose tree still names it under both (as an "omitted for
 * duplicate" leaf), so the closure of a unit is computed here by following every occurrence of an
 * artifact to the one place where Maven expanded its children. Versions and files are Maven's
 * resolved ones.
 */
public final class DependencyGraph {
  /** groupId:artifactId. */
  public record Edge(String child, String scope) {}

  private static final Set<String> RUNTIME_SCOPES = Set.of("compile", "runtime");

  private final Map<String, Set<Edge>> children = new LinkedHashMap<>();
  private final Map<String, Path> files = new LinkedHashMap<>();
  private final Map<String, String> versions = new LinkedHashMap<>();

  private DependencyGraph() {}

  public static DependencyGraph read(Path treeJson, Path listFile) throws IOException {
    DependencyGraph g = new DependencyGraph();
    JsonObject root = new JsonObject(Files.readString(treeJson, StandardCharsets.UTF_8));
    g.walk(root, true);
    for (String line : Files.readAllLines(listFile, StandardCharsets.UTF_8)) {
      g.readListLine(line);
    }
    return g;
  }

  private void walk(JsonObject node, boolean root) {
    String ga = node.getString("groupId") + ":" + node.getString("artifactId");
    JsonArray kids = node.getJsonArray("children");
    if (kids == null) return;
    Set<Edge> edges = children.computeIfAbsent(ga, k -> new LinkedHashSet<>());
    for (Object o : kids) {
      JsonObject kid = (JsonObject) o;
      String scope = kid.getString("scope", "compile");
      // test/provided/system never reach a runtime; optional ones Maven already left out below the
      // root
      if (!RUNTIME_SCOPES.contains(scope)) continue;
      if (!root && "true".equals(kid.getString("optional"))) continue;
      edges.add(new Edge(kid.getString("groupId") + ":" + kid.getString("artifactId"), scope));
      walk(kid, false);
    }
  }

  /** {@code g:a:type[:classifier]:version:scope:/path/file.jar -- module name}. */
  private void readListLine(String raw) {
    String line = raw.strip();
    int module = line.indexOf(" -- ");
    if (module >= 0) line = line.substring(0, module).strip();
    String[] t = line.split(":");
    if (t.length != 6 && t.length != 7) return;
    String scope = t[t.length - 2];
    if (!RUNTIME_SCOPES.contains(scope)) return;
    if (t.length == 7) return; // classified artifacts (test-jars, natives) are not packaged
    Path file = Path.of(t[5]);
    if (!file.isAbsolute()) return;
    String ga = t[0] + ":" + t[1];
    files.put(ga, file);
    versions.put(ga, t[3]);
  }

  public boolean resolved(String ga) {
    return files.containsKey(ga);
  }

  /** The jar (or a reactor module's classes folder) of an artifact. */
  public Path file(String ga) {
    Path f = files.get(ga);
    if (f == null)
      throw new IllegalArgumentException(ga + " is not a runtime dependency of the deploy module");
    return f;
  }

  public String version(String ga) {
    return versions.get(ga);
  }

  /**
   * The artifact and everything it needs at run time, breadth first. {@code follow(parent, child)}
   * may refuse an edge (an excluded HTTP client); the root's own edges are asked too.
   */
  public Set<String> closure(String ga, BiPredicate<String, String> follow) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(ga));
    while (!todo.isEmpty()) {
      String next = todo.removeFirst();
      if (!seen.add(next)) continue;
      for (Edge e : children.getOrDefault(next, Set.of())) {
        if (!seen.contains(e.child()) && follow.test(next, e.child())) todo.addLast(e.child());
      }
    }
    seen.removeIf(a -> !files.containsKey(a));
    return seen;
  }

  /** Direct runtime dependencies of an artifact (as declared by it, after Maven's mediation). */
  public Collection<String> directDependencies(String ga) {
    return children.getOrDefault(ga, Set.of()).stream().map(Edge::child).toList();
  }
}
