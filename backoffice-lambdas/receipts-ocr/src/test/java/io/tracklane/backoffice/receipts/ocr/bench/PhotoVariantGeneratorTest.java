package io.tracklane.backoffice.receipts.ocr.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.receipts.ocr.testing.TestImages;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhotoVariantGeneratorTest {
  @TempDir Path dir;

  @Test
  void writesTheSamePhotosForTheSameSeedAndTotalsBesideThem() throws Exception {
    Path scans = Files.createDirectories(dir.resolve("scans"));
    BufferedImage receipt = TestImages.receipt(List.of("SHOP", "Total 12.30", "Cash 20.00"));
    Files.write(scans.resolve("a.png"), TestImages.png(receipt));
    Files.write(scans.resolve("b.png"), TestImages.png(receipt));
    Files.writeString(scans.resolve("totals.csv"), "file,total\na.png,12.30\nb.png,12.30\n");

    Path one = new PhotoVariantGenerator(7).generate(scans, dir.resolve("one"), 0);
    Path two = new PhotoVariantGenerator(7).generate(scans, dir.resolve("two"), 0);
    Path other = new PhotoVariantGenerator(8).generate(scans, dir.resolve("other"), 1);

    assertArrayEquals(
        Files.readAllBytes(one.resolve("a.jpg")), Files.readAllBytes(two.resolve("a.jpg")));
    assertFalse(
        Arrays.equals(
            Files.readAllBytes(one.resolve("a.jpg")), Files.readAllBytes(other.resolve("a.jpg"))));
    assertEquals(
        List.of("file,total", "a.jpg,12.30", "b.jpg,12.30"),
        Files.readAllLines(one.resolve("totals.csv"), StandardCharsets.UTF_8));
    assertEquals(
        List.of("file,total", "a.jpg,12.30"),
        Files.readAllLines(other.resolve("totals.csv"), StandardCharsets.UTF_8));
    assertTrue(ImageIO.read(one.resolve("a.jpg").toFile()) != null);
  }

  @Test
  void putsThePageOnADarkerSurfaceUnevenlyLit() {
    BufferedImage scan = TestImages.receipt(List.of("SHOP", "Total 12.30"));
    BufferedImage photo = PhotoVariantGenerator.photograph(scan, new Random(3));
    assertNotEquals(scan.getWidth(), photo.getWidth());
    int corner = photo.getRGB(2, 2) & 0xFF;
    int centre = photo.getRGB(photo.getWidth() / 2, photo.getHeight() / 2) & 0xFF;
    assertTrue(corner < 200, "a counter around the page: " + corner);
    assertTrue(centre > corner, "the page brighter than the counter");
  }
}
