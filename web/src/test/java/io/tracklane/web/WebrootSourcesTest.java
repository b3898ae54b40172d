package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The page sources keep the rules the Content-Security-Policy and the text-only rule rely on: no
 * inline script or handler, no eval, nothing from a CDN, no HTML sink, and one h() for all pages.
 */
class WebrootSourcesTest {
  static final Path ROOT = Path.of("src/main/resources/webroot").toAbsolutePath();

  static List<Path> files(String ext) throws IOException {
    try (Stream<Path> s = Files.walk(ROOT)) {
      return s.filter(p -> p.toString().endsWith(ext)).sorted().toList();
    }
  }

  @Test
  void htmlHasNoInlineScriptNoHandlerAttributeAndNothingFromElsewhere() throws IOException {
    Pattern script = Pattern.compile("<script\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    Pattern handler = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    Pattern remote = Pattern.compile("(src|href)\\s*=\\s*\"(https?:)?//", Pattern.CASE_INSENSITIVE);
    List<String> problems = new ArrayList<>();
    List<Path> pages = files(".html");
    assertTrue(pages.size() >= 1, "the dashboard page at least: " + pages);
    for (Path p : pages) {
      String html = Files.readString(p);
      Matcher m = script.matcher(html);
      while (m.find()) {
        if (!m.group(1).contains("src=")) problems.add(ROOT.relativize(p) + ": inline <script>");
      }
      if (handler.matcher(html).find()) problems.add(ROOT.relativize(p) + ": an on…= attribute");
      if (remote.matcher(html).find()) problems.add(ROOT.relativize(p) + ": loads from elsewhere");
      if (html.contains("<style")) problems.add(ROOT.relativize(p) + ": inline <style>");
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void scriptsUseNoHtmlSinkNoEvalAndTheOneSharedH() throws IOException {
    Pattern sink =
        Pattern.compile(
            "\\.innerHTML\\b|\\.outerHTML\\b|insertAdjacentHTML|document\\.write|\\beval\\(|new Function\\(|setTimeout\\(\\s*['\"`]|bindPopup\\(\\s*['\"`]|bindTooltip\\(\\s*['\"`]|import\\(\\s*['\"`]https?:");
    Pattern ownH = Pattern.compile("function h\\(|const h = ");
    List<String> problems = new ArrayList<>();
    List<Path> scripts = files(".js");
    for (Path p : scripts) {
      String js = Files.readString(p);
      String name = ROOT.relativize(p).toString().replace('\\', '/');
      Matcher m = sink.matcher(js);
      while (m.find()) problems.add(name + ": " + m.group());
      if (ownH.matcher(js).find() && !name.equals("shared/dom.js")) {
        problems.add(name + ": its own h(); import it from shared/dom.js");
      }
      if (js.contains("from 'http") || js.contains("from \"http")) {
        problems.add(name + ": imports from elsewhere");
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(
        scripts.stream().anyMatch(p -> p.endsWith(Path.of("shared", "api.js"))), "shared/api.js");
  }
}
