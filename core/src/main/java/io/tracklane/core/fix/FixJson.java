package io.tracklane.core.fix;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/** JSON renderings shared by the transports. */
public final class FixJson {

  private FixJson() {}

  /** An array of {@link FixError#toJson()} objects, in list order. */
  public static JsonArray errorsToJson(List<FixError> errors) {
    List<Object> out = new ArrayList<>(errors.size());
    for (FixError e : errors) out.add(e.toJson());
    return new JsonArray(out);
  }
}
