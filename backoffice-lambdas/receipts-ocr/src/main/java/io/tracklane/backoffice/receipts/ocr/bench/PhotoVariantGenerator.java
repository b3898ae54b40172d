package io.tracklane.backoffice.receipts.ocr.bench;

import io.tracklane.backoffice.receipts.ocr.image.GrayImages;
import io.tracklane.backoffice.receipts.ocr.image.Homography;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Turns scanned receipts into what a phone gives: the page on a darker counter, turned a few
 * degrees (one in six a quarter or half turn), seen at a slant (2–6 % perspective), lit unevenly
 * with a shadow band across, slightly blurred, saved as JPEG at quality 55–70. Deterministic: the
 * same seed and file name give the same photo. Used by the accuracy benchmark; the photos are
 * written to a scratch folder, never into the repository (the source data's licence forbids it).
 */
public final class PhotoVariantGenerator {
  private final long seed;

  public PhotoVariantGenerator(long seed) {
    this.seed = seed;
  }

  /**
   * Writes a photo variant of each file in {@code scans/totals.csv} (the first {@code limit}, all
   * when {@code limit <= 0}) into {@code out}, with a totals.csv for them. Returns {@code out}.
   */
  public Path generate(Path scans, Path out, int limit) throws IOException {
    Map<String, BigDecimal> totals = ReceiptAccuracyBenchmark.totals(scans.resolve("totals.csv"));
    Files.createDirectories(out);
    List<String> csv = new ArrayList<>();
    csv.add("file,total");
    int n = 0;
    for (var entry : totals.entrySet()) {
      if (limit > 0 && n++ >= limit) {
        break;
      }
      String name = entry.getKey();
      String photoName = name.replaceAll("\\.[A-Za-z]+$", "") + ".jpg";
      Path target = out.resolve(photoName);
      if (!Files.exists(target)) {
        BufferedImage scan = ImageIO.read(scans.resolve(name).toFile());
        if (scan == null) {
          throw new IOException("not an image: " + scans.resolve(name));
        }
        Random random = new Random(seed * 31 + name.hashCode());
        int quality = 55 + random.nextInt(16);
        BufferedImage photo = photograph(scan, random);
        writeJpeg(photo, quality, target);
      }
      csv.add(photoName + "," + entry.getValue().toPlainString());
    }
    Files.write(out.resolve("totals.csv"), csv, StandardCharsets.UTF_8);
    return out;
  }

  /** The photo of one scan; {@code random} decides every parameter. */
  public static BufferedImage photograph(BufferedImage scan, Random random) {
    int w = scan.getWidth();
    int h = scan.getHeight();
    double angle = Math.toRadians((random.nextDouble() * 2 - 1) * 8);
    int margin = (int) Math.round(0.08 * Math.max(w, h));
    int outW = w + 2 * margin;
    int outH = h + 2 * margin;
    // Where each corner of the page lands: rotated about the centre, then each corner pulled
    // inwards by 2–6 % of the page size (a camera held at a slant).
    double p = 0.02 + random.nextDouble() * 0.04;
    double[][] corners = {{0, 0}, {w, 0}, {w, h}, {0, h}};
    double[][] inward = {{1, 1}, {-1, 1}, {-1, -1}, {1, -1}};
    boolean topNarrow = random.nextBoolean();
    double[] dst = new double[8];
    double cx = w / 2.0;
    double cy = h / 2.0;
    for (int i = 0; i < 4; i++) {
      boolean narrowed = topNarrow ? i < 2 : i >= 2;
      double dx = inward[i][0] * (narrowed ? p : p * 0.3) * w;
      double dy = inward[i][1] * random.nextDouble() * p * 0.5 * h;
      double x = corners[i][0] + dx - cx;
      double y = corners[i][1] + dy - cy;
      dst[2 * i] = outW / 2.0 + x * Math.cos(angle) - y * Math.sin(angle);
      dst[2 * i + 1] = outH / 2.0 + x * Math.sin(angle) + y * Math.cos(angle);
    }
    double[] src = {0, 0, w, 0, w, h, 0, h};
    // output pixel -> scan pixel
    double[] m = Homography.between(dst, src);
    int[] counter = {150 + random.nextInt(40), 120 + random.nextInt(40), 90 + random.nextInt(40)};
    BufferedImage photo = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
    int[] scanRgb = scan.getRGB(0, 0, w, h, null, 0, w);
    // light: a linear gradient from 1.0 to 0.6 in a random direction, and a soft shadow band
    double lightAngle = random.nextDouble() * 2 * Math.PI;
    double lx = Math.cos(lightAngle);
    double ly = Math.sin(lightAngle);
    double darkest = 0.6 + random.nextDouble() * 0.1;
    double bandAngle = random.nextDouble() * Math.PI;
    double bx = Math.cos(bandAngle);
    double by = Math.sin(bandAngle);
    double bandCentre = (random.nextDouble() - 0.5) * 0.6 * Math.max(outW, outH);
    double bandWidth = (0.04 + random.nextDouble() * 0.06) * Math.max(outW, outH);
    double bandDepth = 0.65 + random.nextDouble() * 0.15;
    double half = 0.5 * Math.hypot(outW, outH);
    long salt = random.nextLong();
    int[] row = new int[outW];
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        double den = m[6] * x + m[7] * y + 1;
        double sx = (m[0] * x + m[1] * y + m[2]) / den;
        double sy = (m[3] * x + m[4] * y + m[5]) / den;
        int r;
        int g;
        int b;
        if (sx >= 0 && sy >= 0 && sx < w - 1 && sy < h - 1) {
          int x0 = (int) sx;
          int y0 = (int) sy;
          double fx = sx - x0;
          double fy = sy - y0;
          int p00 = scanRgb[y0 * w + x0];
          int p10 = scanRgb[y0 * w + x0 + 1];
          int p01 = scanRgb[(y0 + 1) * w + x0];
          int p11 = scanRgb[(y0 + 1) * w + x0 + 1];
          r = lerp(p00 >> 16, p10 >> 16, p01 >> 16, p11 >> 16, fx, fy);
          g = lerp(p00 >> 8, p10 >> 8, p01 >> 8, p11 >> 8, fx, fy);
          b = lerp(p00, p10, p01, p11, fx, fy);
        } else {
          int noise = (int) ((((x * 7919L + y * 104729L) ^ salt) & 15) - 8);
          r = counter[0] + noise;
          g = counter[1] + noise;
          b = counter[2] + noise;
        }
        double t = ((x - outW / 2.0) * lx + (y - outH / 2.0) * ly) / half; // -1..1
        double light = 1.0 - (1.0 - darkest) * (t + 1) / 2;
        double d = Math.abs((x - outW / 2.0) * bx + (y - outH / 2.0) * by - bandCentre);
        if (d < bandWidth) {
          double edge = Math.min(1, (bandWidth - d) / (0.3 * bandWidth));
          light *= 1 - (1 - bandDepth) * edge;
        }
        row[x] = (clamp(r * light) << 16) | (clamp(g * light) << 8) | clamp(b * light);
      }
      photo.setRGB(0, y, outW, 1, row, 0, outW);
    }
    photo = blur(photo, 0.6 + random.nextDouble() * 0.6);
    int turn = random.nextInt(6); // 0..2: a quarter, half or three-quarter turn; else upright
    return turn < 3 ? quarterTurns(photo, turn + 1) : photo;
  }

  private static int lerp(int a, int b, int c, int d, double fx, double fy) {
    a &= 0xFF;
    b &= 0xFF;
    c &= 0xFF;
    d &= 0xFF;
    double top = a + (b - a) * fx;
    double bottom = c + (d - c) * fx;
    return (int) Math.round(top + (bottom - top) * fy);
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  /** A small Gaussian blur of the given sigma (a phone's focus and motion). */
  static BufferedImage blur(BufferedImage image, double sigma) {
    int radius = 2;
    float[] k = new float[(2 * radius + 1) * (2 * radius + 1)];
    double sum = 0;
    for (int y = -radius; y <= radius; y++) {
      for (int x = -radius; x <= radius; x++) {
        double v = Math.exp(-(x * x + y * y) / (2 * sigma * sigma));
        k[(y + radius) * (2 * radius + 1) + x + radius] = (float) v;
        sum += v;
      }
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= (float) sum;
    }
    var op =
        new ConvolveOp(new Kernel(2 * radius + 1, 2 * radius + 1, k), ConvolveOp.EDGE_NO_OP, null);
    return op.filter(image, null);
  }

  /** Turns the image clockwise by {@code quarters} quarter turns. */
  public static BufferedImage quarterTurns(BufferedImage image, int quarters) {
    int q = ((quarters % 4) + 4) % 4;
    if (q == 0) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int outW = q == 2 ? w : h;
    int outH = q == 2 ? h : w;
    BufferedImage out = new BufferedImage(outW, outH, image.getType());
    int[] px = image.getRGB(0, 0, w, h, null, 0, w);
    int[] res = new int[outW * outH];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        res[GrayImages.turnedIndex(q, x, y, w, h, outW)] = px[y * w + x];
      }
    }
    out.setRGB(0, 0, outW, outH, res, 0, outW);
    return out;
  }

  private static void writeJpeg(BufferedImage image, int quality, Path target) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality / 100f);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp);
        ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
      writer.setOutput(ios);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
  }
}
