package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ToDoubleFunction;

/**
 * Which way up a page is. Text lines run along one axis: the ink's row profile is sharp when they
 * run across the image and flat when they run down it, so the profile tells upright-or-upside-down
 * from sideways without reading anything; that decides which ways are tried first. Each is tried by
 * reading a strip of the page (the middle fifth, else the inkiest): the OCR engine's confidence is
 * far higher on text the right way up, and the first way read clearly ends the search. (Tesseract's
 * own orientation detection was tried first and turned upright scans upside down at high
 * confidence.)
 */
public final class OrientationCheck {
  /** Reading the other way must be at least this much more confident to turn a page over. */
  static final double MARGIN = 0.1;

  /** A turned page must read at least this confidently the new way up. */
  static final double MIN_TURNED = 0.45;

  /** The same for a landscape page. */
  static final double MIN_TURNED_LANDSCAPE = 0.6;

  /** How far one way must read ahead of every other to count on a landscape page. */
  static final double CLEAR_LEAD = 0.2;

  /** Pages whose shorter side is below this are enlarged before their strips are read. */
  static final int MIN_SHORT_SIDE = 500;

  /** A strip read this confidently is the right way up; the other ways are not tried. */
  static final double CLEARLY_READABLE = 0.8;

  private final ToDoubleFunction<BufferedImage> readingConfidence;
  private final ToDoubleFunction<BufferedImage> otherScript;

  /** {@code readingConfidence}: the OCR engine's mean confidence 0..1 reading a grayscale strip. */
  public OrientationCheck(ToDoubleFunction<BufferedImage> readingConfidence) {
    this(readingConfidence, null);
  }

  /**
   * {@code otherScript}: the same with another script's model (Chinese), tried only when no way up
   * reads as text with the first (null: none).
   */
  public OrientationCheck(
      ToDoubleFunction<BufferedImage> readingConfidence,
      ToDoubleFunction<BufferedImage> otherScript) {
    this.readingConfidence = readingConfidence;
    this.otherScript = otherScript;
  }

  /** Clockwise quarter turns that bring {@code gray} upright. */
  public int quarterTurnsToUpright(BufferedImage gray) {
    BufferedImage small = GrayImages.shrink(gray, 1600);
    int shorter = Math.min(small.getWidth(), small.getHeight());
    if (shorter < MIN_SHORT_SIDE) {
      // a small receipt cut out of a large page: its print is too small to read either way up
      double factor = Math.min(3.0, (double) MIN_SHORT_SIDE / shorter);
      small = ImageNormaliser.scale(small, (int) Math.round(small.getWidth() * factor));
    }
    // a till strip is upright or upside down (on its side it would be wider than tall): its
    // sideways strips, the longest and slowest to read (2 s each in Chinese), are not read
    int[] order =
        tillStrip(small)
            ? new int[] {0, 2}
            : sideways(small) ? new int[] {1, 3, 0, 2} : new int[] {0, 2, 1, 3};
    // the middle fifth first; when no way reads as text there (a blank band, a logo), the fifth
    // with the most ink; then the same with the other script
    // A landscape page (a VAT invoice's shape) is mostly Chinese: Latin text read off it at
    // moderate confidence is no sign it is turned.
    boolean landscape = small.getWidth() > small.getHeight();
    double minTurned = landscape ? MIN_TURNED_LANDSCAPE : MIN_TURNED;
    int turns = decide(small, order, readingConfidence, false, minTurned);
    if (turns < 0) {
      turns = decide(small, order, readingConfidence, true, minTurned);
    }
    // a landscape page whose lines run across it is upright or upside down, and the reader reads
    // such a page both ways up side by side: the other script's strips (seconds, and seldom sure
    // on a VAT invoice) would only repeat that
    if (turns < 0 && otherScript != null && !(landscape && order[0] == 0)) {
      turns = decide(small, order, otherScript, false, minTurned);
      if (turns < 0) {
        turns = decide(small, order, otherScript, true, minTurned);
      }
    }
    if (turns < 0 && !tillStrip(small) && sideways(small, SURELY_SIDEWAYS)) {
      // no way up reads as text, but the lines run down the page: it lies on its side either way,
      // so the better-reading of the two quarter turns beats leaving it sideways (a VAT invoice
      // photographed in portrait)
      turns = betterSide(small, readingConfidence);
      if (otherScript != null) {
        int other = betterSide(small, otherScript);
        turns = other >= 0 ? other : turns;
      }
    }
    return Math.max(0, turns);
  }

  /** 1 or 3, whichever reads more confidently; -1 when neither reads at all. */
  private static int betterSide(BufferedImage small, ToDoubleFunction<BufferedImage> confidence) {
    double one = sideConfidence(GrayImages.quarterTurns(small, 1), confidence);
    double three = sideConfidence(GrayImages.quarterTurns(small, 3), confidence);
    if (one <= 0 && three <= 0) {
      return -1;
    }
    return one >= three ? 1 : 3;
  }

  /** The better of the middle and the inkiest strip of a page turned one way. */
  private static double sideConfidence(
      BufferedImage turned, ToDoubleFunction<BufferedImage> confidence) {
    return Math.max(
        confidence.applyAsDouble(strip(turned, false)),
        confidence.applyAsDouble(strip(turned, true)));
  }

  /** The turns, 0 when no other way reads clearly better, -1 when no way reads as text at all. */
  private static int decide(
      BufferedImage small,
      int[] order,
      ToDoubleFunction<BufferedImage> confidence,
      boolean inkiest,
      double minTurned) {
    double uprightConfidence = -1;
    int best = 0;
    double bestConfidence = -1;
    double secondConfidence = -1;
    // two ways at a time, one per core: the second of a pair is wasted when the first reads
    // clearly, but costs no time beside it, and a page no way reads clearly costs half as long
    search:
    for (int i = 0; i < order.length; i += 2) {
      double[] pair = readInPair(small, order[i], order[i + 1], confidence, inkiest);
      for (int k = 0; k < 2; k++) {
        int turns = order[i + k];
        double c = pair[k];
        if (turns == 0) {
          uprightConfidence = c;
        }
        secondConfidence = Math.max(secondConfidence, Math.min(c, bestConfidence));
        if (c > bestConfidence) {
          bestConfidence = c;
          best = turns;
        }
        if (c >= CLEARLY_READABLE) {
          break search;
        }
      }
    }
    // a receipt photographed sideways is landscape too: one way reading far better than every
    // other is text in this script, whatever the page's shape
    boolean clearWinner =
        bestConfidence >= MIN_TURNED && bestConfidence >= secondConfidence + CLEAR_LEAD;
    if (bestConfidence < minTurned && !clearWinner || uprightConfidence == 0) {
      // not text in this script any way up (a Chinese invoice read as Latin), or nothing at all
      // in the band as it came (a blank band: a turn would be judged on other text than upright)
      return -1;
    }
    // a page is turned only when another way reads clearly better than as it came
    return best != 0 && uprightConfidence >= 0 && bestConfidence < uprightConfidence + MARGIN
        ? 0
        : best;
  }

  /** The reading confidence of a strip of the page turned each of two ways, read side by side. */
  private static double[] readInPair(
      BufferedImage small,
      int first,
      int second,
      ToDoubleFunction<BufferedImage> confidence,
      boolean inkiest) {
    Future<Double> other =
        STRIP_READERS.submit(
            () -> confidence.applyAsDouble(strip(GrayImages.quarterTurns(small, second), inkiest)));
    double c = confidence.applyAsDouble(strip(GrayImages.quarterTurns(small, first), inkiest));
    try {
      return new double[] {c, other.get()};
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading a strip", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Threads reading the second strip of each pair (daemons, never holding the JVM up). */
  private static final ExecutorService STRIP_READERS =
      Executors.newFixedThreadPool(
          Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())),
          r -> {
            Thread t = new Thread(r, "orientation-strip");
            t.setDaemon(true);
            return t;
          });

  /** Whether text lines run down the image rather than across it. */
  static boolean sideways(BufferedImage gray) {
    return sideways(gray, 1.2);
  }

  /** Whether the row profile is {@code factor} times sharper down the image than across it. */
  static boolean sideways(BufferedImage gray, double factor) {
    BufferedImage small = GrayImages.shrink(gray, 800);
    SkewCorrector skew = new SkewCorrector();
    double across = skew.sharpness(small);
    double down = skew.sharpness(GrayImages.quarterTurns(small, 1));
    return down > across * factor;
  }

  /**
   * A page at least {@value #TILL_STRIP_ASPECT} times taller than wide is a till receipt upright or
   * upside down: one lying on its side is wider than tall. Its faint print may leave the paper's
   * edges the darkest lines in the profile (SROIE 505, purple print on pink paper, was turned on
   * its side and read as nothing for 36 s).
   */
  static boolean tillStrip(BufferedImage gray) {
    return gray.getHeight() >= TILL_STRIP_ASPECT * gray.getWidth();
  }

  static final double TILL_STRIP_ASPECT = 2.2;

  /** Sharper down than across by this much: sure enough to turn a page no way reads clearly. */
  static final double SURELY_SIDEWAYS = 1.4;

  /**
   * A fifth of the page across its width, a few lines of text: the middle one, or the one that
   * holds the most ink.
   */
  static BufferedImage strip(BufferedImage gray, boolean inkiest) {
    int h = gray.getHeight();
    int w = gray.getWidth();
    int height = Math.max(1, (int) (h * 0.2));
    byte[] px = GrayImages.pixels(gray);
    int[] ink = new int[h + 1];
    for (int y = 0; y < h; y++) {
      int n = 0;
      for (int x = 0; x < w; x++) {
        n += (px[y * w + x] & 0xFF) < 128 ? 1 : 0;
      }
      ink[y + 1] = ink[y] + n;
    }
    int top = (int) (h * 0.4);
    int most = -1;
    for (int y = 0; inkiest && y + height <= h; y += Math.max(1, height / 4)) {
      if (ink[y + height] - ink[y] > most) {
        most = ink[y + height] - ink[y];
        top = y;
      }
    }
    BufferedImage sub = gray.getSubimage(0, top, gray.getWidth(), height);
    BufferedImage copy =
        new BufferedImage(sub.getWidth(), sub.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    copy.getGraphics().drawImage(sub, 0, 0, null);
    return copy;
  }
}
