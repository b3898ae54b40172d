package io.tracklane.core.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsedFixesTest {

  @Test
  void validWhenNoErrors() {
    ParsedFixes p = new ParsedFixes(List.of(Fix.of(1, 2, 3)), List.of());
    assertTrue(p.isValid());
    assertEquals(1, p.fixes().size());
  }

  @Test
  void invalidWhenErrors() {
    ParsedFixes p = new ParsedFixes(List.of(), List.of(new FixError(-1, null, "payload is empty")));
    assertFalse(p.isValid());
    assertTrue(p.fixes().isEmpty());
  }

  @Test
  void listsAreCopiedAndImmutable() {
    List<Fix> source = new ArrayList<>(List.of(Fix.of(1, 2, 3)));
    ParsedFixes p = new ParsedFixes(source, new ArrayList<>());
    source.add(Fix.of(4, 5, 6));
    assertEquals(1, p.fixes().size());
    assertThrows(UnsupportedOperationException.class, () -> p.fixes().clear());
    assertThrows(
        UnsupportedOperationException.class, () -> p.errors().add(new FixError(0, "ts", "x")));
  }

  @Test
  void fixesAndErrorsTogetherAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ParsedFixes(List.of(Fix.of(1, 2, 3)), List.of(new FixError(0, "lat", "x"))));
    assertThrows(NullPointerException.class, () -> new ParsedFixes(null, List.of()));
  }
}
