package io.tracklane.backoffice.receipts.ocr.provider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the folder holding {@code eng.traineddata}: configured, TESSDATA_PREFIX, then the
 * distributions' places.
 */
public final class TessdataLocator {
  private static final List<String> KNOWN =
      List.of(
          "/usr/share/tesseract-ocr/5/tessdata",
          "/usr/share/tesseract-ocr/4.00/tessdata",
          "/usr/share/tessdata",
          "/usr/local/share/tessdata",
          "/opt/homebrew/share/tessdata",
          "/opt/tesseract/share/tessdata");

  private TessdataLocator() {}

  public static Optional<Path> locate(String configured, Map<String, String> env) {
    List<String> candidates = new ArrayList<>();
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured);
    }
    String prefix = env.get("TESSDATA_PREFIX");
    if (prefix != null && !prefix.isBlank()) {
      candidates.add(prefix);
      candidates.add(Path.of(prefix, "tessdata").toString());
    }
    candidates.addAll(KNOWN);
    return candidates.stream()
        .map(Path::of)
        .filter(p -> Files.isRegularFile(p.resolve("eng.traineddata")))
        .findFirst();
  }
}
