package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a receipt photographed on a darker surface: the largest bright region, after the light's
 * overall slope is taken out (a plane fitted to log brightness), thresholded by Otsu. Its corners
 * are its extreme points along the diagonals, which holds for pages turned less than 45°. A region
 * that reaches every border (a scan, or a photo with no counter in sight) or covers too little of
 * the image is no receipt edge: nothing is returned, and the image is used as it is.
 */
public final class ReceiptEdgeFinder {
  private static final int WORK_SIDE = 400;
  private static final double MIN_PAPER_CONTRAST = 0.2;
  private static final double MARGIN = 0.04;

  private static double clamp(double v, int size) {
    return Math.max(0, Math.min(size - 1, v));
  }

  /** Corners top-left, top-right, bottom-right, bottom-left in {@code gray}'s pixels. */
  public Optional<double[]> corners(BufferedImage gray) {
    BufferedImage small = GrayImages.shrink(gray, WORK_SIDE);
    double scale = (double) gray.getWidth() / small.getWidth();
    int w = small.getWidth();
    int h = small.getHeight();
    byte[] px = GrayImages.pixels(small);
    // a closing (brightest, then darkest, of each neighbourhood) fills the print in with paper,
    // leaving two levels to tell apart, paper and surface; then the light's slope is taken out
    int[] raw = new int[px.length];
    for (int i = 0; i < px.length; i++) {
      raw[i] = px[i] & 0xFF;
    }
    int[] closed = filter(filter(raw, w, h, true), w, h, false);
    double[] logs = new double[px.length];
    for (int i = 0; i < px.length; i++) {
      logs[i] = Math.log(1 + closed[i]);
    }
    double[] plane = fitPlane(logs, w, h);
    double[] flat = new double[px.length];
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        flat[i] = logs[i] - (plane[0] * x + plane[1] * y);
        min = Math.min(min, flat[i]);
        max = Math.max(max, flat[i]);
      }
    }
    int[] level = new int[px.length];
    for (int i = 0; i < px.length; i++) {
      level[i] = (int) Math.round(255 * (flat[i] - min) / Math.max(1e-9, max - min));
    }
    int[] histogram = new int[256];
    for (int v : level) {
      histogram[v]++;
    }
    int threshold = GrayImages.otsu(histogram);
    boolean[] bright = new boolean[px.length];
    for (int i = 0; i < px.length; i++) {
      bright[i] = level[i] > threshold;
    }
    int[] region = largestRegion(bright, w, h);
    if (region == null) {
      return Optional.empty();
    }
    int size = region.length;
    // paper must be clearly brighter than what lies around it (log units: 0.2 is about 22 %)
    boolean[] inRegion = new boolean[px.length];
    double inside = 0;
    for (int i : region) {
      inRegion[i] = true;
      inside += level[i];
    }
    double outside = 0;
    for (int i = 0; i < px.length; i++) {
      outside += inRegion[i] ? 0 : level[i];
    }
    double gap = (inside / size - outside / (px.length - size)) * (max - min) / 255.0;
    if (gap < MIN_PAPER_CONTRAST) {
      return Optional.empty();
    }
    return fromRegion(region, w, h, scale, gray);
  }

  /**
   * The same on a colour photo by the paper's lack of colour: a receipt is neutral, a counter, desk
   * or tablecloth rarely is, and a shadow darkens both without giving the paper colour. A shadow
   * band across the page breaks the page apart by brightness (it made the brightest region a sliver
   * beside the print); by colour the page stays whole. Empty when the surface is as neutral as the
   * paper: then only brightness can tell them apart.
   */
  public Optional<double[]> corners(BufferedImage gray, BufferedImage colour) {
    if (colour != null && colour.getType() != BufferedImage.TYPE_BYTE_GRAY) {
      Optional<double[]> byColour = byColour(gray, colour);
      if (byColour.isPresent()) {
        return byColour;
      }
    }
    return corners(gray);
  }

  /** Mean saturation (of 255) the surface must have beyond the paper's. */
  private static final double MIN_COLOUR_GAP = 25;

  private Optional<double[]> byColour(BufferedImage gray, BufferedImage colour) {
    BufferedImage small = GrayImages.shrink(colour, WORK_SIDE, BufferedImage.TYPE_INT_RGB);
    int w = small.getWidth();
    int h = small.getHeight();
    int[] rgb = small.getRGB(0, 0, w, h, null, 0, w);
    int[] chroma = new int[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      int r = (rgb[i] >> 16) & 0xFF;
      int gg = (rgb[i] >> 8) & 0xFF;
      int b = rgb[i] & 0xFF;
      int max = Math.max(r, Math.max(gg, b));
      // saturation, not chroma: a shadow scales every channel alike and leaves it as it is
      chroma[i] = max < 16 ? 0 : 255 * (max - Math.min(r, Math.min(gg, b))) / max;
    }
    // the least colourful of each neighbourhood, then the most: specks of colour on the page and
    // of grey on the surface go
    int[] opened = filter(filter(chroma, w, h, false), w, h, true);
    int[] histogram = new int[256];
    for (int v : opened) {
      histogram[v]++;
    }
    int threshold = GrayImages.otsu(histogram);
    boolean[] neutral = new boolean[opened.length];
    for (int i = 0; i < opened.length; i++) {
      neutral[i] = opened[i] <= threshold;
    }
    int[] region = largestRegion(neutral, w, h);
    if (region == null) {
      return Optional.empty();
    }
    boolean[] inRegion = new boolean[opened.length];
    double inside = 0;
    for (int i : region) {
      inRegion[i] = true;
      inside += opened[i];
    }
    double outside = 0;
    int outsideCount = 0;
    for (int i = 0; i < opened.length; i++) {
      if (!inRegion[i]) {
        outside += opened[i];
        outsideCount++;
      }
    }
    if (outsideCount == 0 || outside / outsideCount - inside / region.length < MIN_COLOUR_GAP) {
      return Optional.empty();
    }
    return fromRegion(region, w, h, (double) gray.getWidth() / w, gray);
  }

  /**
   * A region's corners (scaled back to {@code gray}'s pixels, a small margin kept), unless it is
   * too small or too large to be a page, or reaches every border.
   */
  private static Optional<double[]> fromRegion(
      int[] region, int w, int h, double scale, BufferedImage gray) {
    int size = region.length;
    if (size < 0.15 * w * h || size > 0.97 * w * h) {
      return Optional.empty();
    }
    boolean left = false;
    boolean right = false;
    boolean top = false;
    boolean bottom = false;
    double[] best = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE};
    int[] at = new int[4];
    for (int i : region) {
      int x = i % w;
      int y = i / w;
      left |= x == 0;
      right |= x == w - 1;
      top |= y == 0;
      bottom |= y == h - 1;
      // top-left: min x+y; top-right: max x−y; bottom-right: max x+y; bottom-left: min x−y
      if (x + y < best[0]) {
        best[0] = x + y;
        at[0] = i;
      }
      if (x - y > best[1]) {
        best[1] = x - y;
        at[1] = i;
      }
      if (x + y > best[3]) {
        best[3] = x + y;
        at[2] = i;
      }
      if (x - y < best[2]) {
        best[2] = x - y;
        at[3] = i;
      }
    }
    if (left && right && top && bottom) {
      return Optional.empty();
    }
    double[] corners = new double[8];
    double cx = 0;
    double cy = 0;
    for (int k = 0; k < 4; k++) {
      corners[2 * k] = (at[k] % w + 0.5) * scale;
      corners[2 * k + 1] = (at[k] / w + 0.5) * scale;
      cx += corners[2 * k] / 4;
      cy += corners[2 * k + 1] / 4;
    }
    // A little of the surface is kept all round: a shadowed paper edge can fall below the
    // threshold, and cutting into the page would cut off the figures at its right edge.
    for (int k = 0; k < 4; k++) {
      corners[2 * k] = clamp(cx + (corners[2 * k] - cx) * (1 + MARGIN), gray.getWidth());
      corners[2 * k + 1] = clamp(cy + (corners[2 * k + 1] - cy) * (1 + MARGIN), gray.getHeight());
    }
    return Optional.of(corners);
  }

  private static final int CLOSING_RADIUS = 3;

  private static int[] filter(int[] v, int w, int h, boolean brightest) {
    int[] rows = new int[v.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int m = v[y * w + x];
        for (int d = -CLOSING_RADIUS; d <= CLOSING_RADIUS; d++) {
          int xx = Math.max(0, Math.min(w - 1, x + d));
          m = brightest ? Math.max(m, v[y * w + xx]) : Math.min(m, v[y * w + xx]);
        }
        rows[y * w + x] = m;
      }
    }
    int[] out = new int[v.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int m = rows[y * w + x];
        for (int d = -CLOSING_RADIUS; d <= CLOSING_RADIUS; d++) {
          int yy = Math.max(0, Math.min(h - 1, y + d));
          m = brightest ? Math.max(m, rows[yy * w + x]) : Math.min(m, rows[yy * w + x]);
        }
        out[y * w + x] = m;
      }
    }
    return out;
  }

  /** Least-squares plane a·x + b·y + c through the values (only the slope a, b is returned). */
  static double[] fitPlane(double[] v, int w, int h) {
    double sx = 0;
    double sy = 0;
    double sv = 0;
    int n = w * h;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        sx += x;
        sy += y;
        sv += v[y * w + x];
      }
    }
    double mx = sx / n;
    double my = sy / n;
    double mv = sv / n;
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    double sxv = 0;
    double syv = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double dx = x - mx;
        double dy = y - my;
        double dv = v[y * w + x] - mv;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
        sxv += dx * dv;
        syv += dy * dv;
      }
    }
    double det = sxx * syy - sxy * sxy;
    if (Math.abs(det) < 1e-9) {
      return new double[] {0, 0};
    }
    return new double[] {(sxv * syy - syv * sxy) / det, (syv * sxx - sxv * sxy) / det};
  }

  /**
   * The pixel indices of the largest 4-connected bright region together with every other bright
   * region at least a fifth its size (a shadow across the page cuts it in two), or null when none.
   */
  private static int[] largestRegion(boolean[] bright, int w, int h) {
    int[] label = new int[bright.length];
    List<Integer> sizes = new ArrayList<>();
    sizes.add(0);
    int next = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int start = 0; start < bright.length; start++) {
      if (!bright[start] || label[start] != 0) {
        continue;
      }
      next++;
      int size = 0;
      label[start] = next;
      queue.add(start);
      while (!queue.isEmpty()) {
        int i = queue.poll();
        size++;
        int x = i % w;
        int y = i / w;
        int[] neighbours = {
          x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1
        };
        for (int n : neighbours) {
          if (n >= 0 && bright[n] && label[n] == 0) {
            label[n] = next;
            queue.add(n);
          }
        }
      }
      sizes.add(size);
    }
    int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
    if (largest == 0) {
      return null;
    }
    boolean[] kept = new boolean[sizes.size()];
    int total = 0;
    for (int l = 1; l < sizes.size(); l++) {
      if (sizes.get(l) * 5 >= largest) {
        kept[l] = true;
        total += sizes.get(l);
      }
    }
    int[] out = new int[total];
    int k = 0;
    for (int i = 0; i < label.length; i++) {
      if (label[i] != 0 && kept[label[i]]) {
        out[k++] = i;
      }
    }
    return out;
  }
}
