package io.tracklane.backoffice.receipts;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Receipts drawn with Java2D: big, clear text with a known total and decoys around it. */
final class ReceiptImages {
  private ReceiptImages() {}

  /**
   * A till receipt whose total is 12.34, with SUBTOTAL 11.00, TAX 1.34, CASH 20.00 and CHANGE 7.66
   * as decoys.
   */
  static byte[] tillReceiptPng() {
    return png(
        new String[] {
          "CORNER SHOP",
          "2026-11-20 14:05",
          "",
          "COFFEE          4.50",
          "BAGEL           6.50",
          "SUBTOTAL       11.00",
          "TAX             1.34",
          "TOTAL          12.34",
          "CASH           20.00",
          "CHANGE          7.66",
          "",
          "THANK YOU"
        });
  }

  static byte[] png(String[] lines) {
    int width = 900;
    int lineHeight = 60;
    int height = 80 + lines.length * lineHeight;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 40));
      int y = 70;
      for (String line : lines) {
        g.drawString(line, 40, y);
        y += lineHeight;
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
