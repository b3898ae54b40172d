package io.tracklane.backoffice.localapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Finds the units' fragments on the classpath. Listing a classpath is not portable, so the caller
 * names the units; unit {@code routes} is the resource {@code openapi/routes.yaml} (each unit's
 * {@code src/main/resources/openapi/<unit>.yaml}).
 */
public final class FragmentCatalog {
  private FragmentCatalog() {}

  public static String resourceName(String unit) {
    if (unit.isBlank() || unit.contains("/") || unit.endsWith(".yaml")) {
      throw new IllegalArgumentException("a unit name such as 'routes', not '" + unit + "'");
    }
    return "openapi/" + unit + ".yaml";
  }

  /**
   * The units' fragments in the given order; fails naming the resource if one is missing or
   * ambiguous.
   */
  public static List<OpenApiMerger.Fragment> load(ClassLoader loader, List<String> units) {
    List<OpenApiMerger.Fragment> out = new ArrayList<>();
    for (String unit : units) out.add(load(loader, unit));
    return out;
  }

  public static OpenApiMerger.Fragment load(ClassLoader loader, String unit) {
    String resource = resourceName(unit);
    try {
      List<URL> urls = Collections.list(loader.getResources(resource));
      if (urls.isEmpty()) {
        throw new IllegalArgumentException(
            "no OpenAPI fragment for unit "
                + unit
                + ": resource "
                + resource
                + " is not on the classpath (is the unit's module a dependency?)");
      }
      if (urls.size() > 1) {
        throw new IllegalArgumentException(
            "resource " + resource + " is on the classpath " + urls.size() + " times: " + urls);
      }
      try (InputStream in = urls.get(0).openStream()) {
        return new OpenApiMerger.Fragment(resource, OpenApiYaml.parse(in, resource));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** Loads and merges: the document local-api serves and Terraform imports. */
  public static Map<String, Object> merged(
      ClassLoader loader, List<String> units, MergeOptions options) {
    return OpenApiMerger.mergeFragments(load(loader, units), options);
  }
}
