package io.tracklane.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small textual helpers over Terraform code without comments (TfModule.withoutComments): a block's
 * text by its header, an attribute's expression, a list's items. Enough for the rule checks of
 * InfraTerraformTest, which must also run on inline snippets of the old code.
 */
final class HclText {
  private HclText() {}

  /**
   * The text between the braces of the first block whose header matches, e.g. {@code resource
   * "aws_lb" "http"}.
   */
  static Optional<String> block(String code, String header) {
    Matcher m =
        Pattern.compile(Pattern.quote(header).replace(" ", "\\E\\s+\\Q") + "\\s*\\{").matcher(code);
    if (!m.find()) return Optional.empty();
    int depth = 1;
    boolean inString = false;
    for (int i = m.end(); i < code.length(); i++) {
      char c = code.charAt(i);
      if (inString) {
        if (c == '\\') i++;
        else if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return Optional.of(code.substring(m.end(), i));
      }
    }
    throw new IllegalArgumentException("unbalanced braces after " + header);
  }

  /** Every block of a resource type: name and text. */
  static List<String[]> resources(String code, String type) {
    List<String[]> out = new ArrayList<>();
    Matcher m =
        Pattern.compile("resource\\s+\"" + Pattern.quote(type) + "\"\\s+\"(\\w+)\"").matcher(code);
    while (m.find()) {
      String name = m.group(1);
      out.add(new String[] {name, block(code, "resource \"" + type + "\" \"" + name + "\"").get()});
    }
    return out;
  }

  /** The expression of the first {@code name = …} line in the text (to the end of the line). */
  static Optional<String> attribute(String text, String name) {
    Matcher m =
        Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + "\\s*=\\s*(.+?)\\s*$").matcher(text);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Items of a one-line list {@code [a, b, "c"]} (top level commas only). */
  static List<String> listItems(String list) {
    String inner = list.trim();
    int open = inner.indexOf('[');
    int close = inner.lastIndexOf(']');
    if (open < 0 || close < open) return List.of();
    inner = inner.substring(open + 1, close);
    List<String> items = new ArrayList<>();
    int depth = 0;
    boolean inString = false;
    StringBuilder item = new StringBuilder();
    for (int i = 0; i < inner.length(); i++) {
      char c = inner.charAt(i);
      if (inString) {
        if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        if (!item.toString().isBlank()) items.add(item.toString().trim());
        item.setLength(0);
        continue;
      }
      item.append(c);
    }
    if (!item.toString().isBlank()) items.add(item.toString().trim());
    return items;
  }

  /** A quoted string's content, or the expression itself when it is not a string literal. */
  static String unquote(String expression) {
    String e = expression.trim();
    return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")
        ? e.substring(1, e.length() - 1)
        : e;
  }
}
