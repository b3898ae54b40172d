package io.tracklane.backoffice.receipts.ocr.provider;

import io.tracklane.backoffice.receipts.ocr.OcrException;
import io.tracklane.backoffice.receipts.ocr.OcrLanguages;
import io.tracklane.backoffice.receipts.ocr.OcrLine;
import io.tracklane.backoffice.receipts.ocr.OcrProvider;
import io.tracklane.backoffice.receipts.ocr.OcrResult;
import io.tracklane.backoffice.receipts.ocr.image.ImageNormaliser;
import io.tracklane.backoffice.receipts.ocr.image.ReceiptImage;
import io.tracklane.backoffice.receipts.ocr.image.SauvolaBinariser;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.sourceforge.tess4j.ITessAPI.TessPageSegMode;

/**
 * Tesseract 5 (LSTM) through tess4j, English plus Simplified Chinese. Native engines are not
 * thread-safe, so each call borrows one from a pool per language set (created on demand, kept for
 * reuse: loading a language model costs far more than a recognition).
 */
public final class TesseractOcr implements OcrProvider {
  public static final String NAME = "tesseract";

  private final Path tessdata;
  private final Map<OcrLanguages, ImageNormaliser> normalisers;
  private final Map<OcrLanguages, ConcurrentLinkedQueue<TesseractEngine>> pools =
      new EnumMap<>(OcrLanguages.class);
  private final Map<Integer, ConcurrentLinkedQueue<TesseractEngine>> modePools =
      new ConcurrentHashMap<>();

  /**
   * Receipts are read at 1000–1600 px wide. VAT invoices hold three times as many characters across
   * a page and Chinese characters need more pixels than Latin ones: 1700–2000 px (wider reads no
   * better and costs seconds).
   */
  public TesseractOcr(Path tessdata) {
    this(
        tessdata,
        Map.of(
            OcrLanguages.LATIN,
            new ImageNormaliser(1000, 1600),
            OcrLanguages.LATIN_AND_CHINESE,
            new ImageNormaliser(1700, 2000)));
  }

  public TesseractOcr(Path tessdata, Map<OcrLanguages, ImageNormaliser> normalisers) {
    this.tessdata = tessdata;
    this.normalisers = Map.copyOf(normalisers);
    for (OcrLanguages languages : OcrLanguages.values()) {
      pools.put(languages, new ConcurrentLinkedQueue<>());
    }
  }

  /**
   * From a configured folder (empty: none), else Tesseract's own TESSDATA_PREFIX in {@code env},
   * else the usual install folders.
   */
  public static TesseractOcr forFolder(String configured, Map<String, String> env) {
    String folder = configured == null || configured.isBlank() ? null : configured;
    Path tessdata =
        TessdataLocator.locate(folder, env)
            .orElse(Path.of(folder != null ? folder : "/usr/share/tesseract-ocr/5/tessdata"));
    return new TesseractOcr(tessdata);
  }

  /**
   * Whether the native library and the English model are present (tests skip outside CI otherwise).
   */
  public static boolean isInstalled() {
    var tessdata = TessdataLocator.locate(null, System.getenv());
    if (tessdata.isEmpty()) {
      return false;
    }
    try {
      new TesseractEngine(tessdata.get().toString(), "eng").close();
      return true;
    } catch (OcrException | LinkageError e) {
      return false;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean supports(OcrLanguages languages) {
    return languages == OcrLanguages.LATIN
        || Files.isRegularFile(tessdata.resolve("chi_sim.traineddata"));
  }

  @Override
  public OcrResult recognise(ReceiptImage image, OcrLanguages languages) throws OcrException {
    BufferedImage gray = normalisers.get(languages).normalise(image.image());
    TesseractEngine engine = borrow(languages);
    try {
      List<OcrLine> lines = engine.recognise(gray);
      double confidence = lines.stream().mapToDouble(OcrLine::confidence).average().orElse(0);
      return new OcrResult(lines, confidence, null, languages);
    } finally {
      pools.get(languages).offer(engine);
    }
  }

  /** Each image on its own engine, side by side on {@link #READERS}. */
  @Override
  public List<OcrResult> recogniseEach(List<ReceiptImage> images, OcrLanguages languages)
      throws OcrException {
    List<Future<OcrResult>> running = new ArrayList<>();
    for (ReceiptImage image : images) {
      running.add(READERS.submit(() -> recognise(image, languages)));
    }
    List<OcrResult> out = new ArrayList<>();
    for (Future<OcrResult> reading : running) {
      out.add(OcrException.await(reading));
    }
    return out;
  }

  /**
   * Tesseract's mean confidence 0..1 over the text it reads in {@code gray}, weighted by line
   * length (0 when it reads nothing): how much a page looks like text the right way up.
   */
  public double readingConfidence(BufferedImage gray) {
    return readingConfidence(gray, OcrLanguages.LATIN);
  }

  /** The same with Chinese too (0 when its model is missing). */
  public double readingConfidenceWithChinese(BufferedImage gray) {
    return supports(OcrLanguages.LATIN_AND_CHINESE)
        ? readingConfidence(gray, OcrLanguages.LATIN_AND_CHINESE)
        : 0;
  }

  private double readingConfidence(BufferedImage gray, OcrLanguages languages) {
    try {
      List<OcrLine> lines = recogniseGray(gray, languages);
      double weighted = 0;
      int chars = 0;
      for (OcrLine line : lines) {
        int n = line.text().strip().length();
        weighted += line.confidence() * n;
        chars += n;
      }
      return chars == 0 ? 0 : weighted / chars;
    } catch (OcrException e) {
      return 0;
    }
  }

  /**
   * The page in mode 4 (a column of lines of varying size: keeps a large total line whole where
   * mode 6 splits it); the page binarised by Sauvola's local threshold (another binarisation than
   * Tesseract's own, which a shadow or a faint print defeats); the page in mode 11 (sparse text:
   * finds figures standing apart that a block reading merges with their neighbours); and the bottom
   * 45 % of the page, where totals stand, at 1.5 times the scale.
   */
  @Override
  public List<NamedReading> alternativeReadings(ReceiptImage image, OcrLanguages languages)
      throws OcrException {
    if (languages != OcrLanguages.LATIN) {
      return List.of();
    }
    BufferedImage gray = normalisers.get(languages).normalise(image.image());
    int top = (int) (gray.getHeight() * 0.55);
    BufferedImage bottom =
        ImageNormaliser.scale(
            copy(gray.getSubimage(0, top, gray.getWidth(), gray.getHeight() - top)),
            (int) (gray.getWidth() * 1.5));
    Map<String, Callable<List<OcrLine>>> readings = new LinkedHashMap<>();
    readings.put(COLUMN, () -> recogniseInMode(gray, TessPageSegMode.PSM_SINGLE_COLUMN));
    readings.put(BINARISED, () -> recogniseGray(new SauvolaBinariser().binarise(gray), languages));
    readings.put(SPARSE, () -> recogniseInMode(gray, TessPageSegMode.PSM_SPARSE_TEXT));
    readings.put(BOTTOM, () -> recogniseGray(bottom, languages));
    // Each reading has its own engine and Tesseract runs single-threaded, so the readings share
    // the cores between them instead of queueing.
    Map<String, Future<List<OcrLine>>> running = new LinkedHashMap<>();
    readings.forEach((name, reading) -> running.put(name, READERS.submit(reading)));
    List<NamedReading> out = new ArrayList<>();
    for (var e : running.entrySet()) {
      out.add(new NamedReading(e.getKey(), result(OcrException.await(e.getValue()), languages)));
    }
    return out;
  }

  /** Threads for the alternative readings: one per core (daemons, never holding the JVM up). */
  private static final ExecutorService READERS =
      Executors.newFixedThreadPool(
          Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
          r -> {
            Thread t = new Thread(r, "receipt-reading");
            t.setDaemon(true);
            return t;
          });

  static final String COLUMN = "page as one column";
  static final String BINARISED = "page binarised locally";
  static final String SPARSE = "sparse text";
  static final String BOTTOM = "bottom block, enlarged";

  /** English in another page segmentation mode, from a pool per mode. */
  private List<OcrLine> recogniseInMode(BufferedImage gray, int mode) throws OcrException {
    var pool = modePools.computeIfAbsent(mode, m -> new ConcurrentLinkedQueue<>());
    TesseractEngine engine = pool.poll();
    if (engine == null) {
      engine = new TesseractEngine(tessdata.toString(), "eng", mode);
    }
    try {
      return engine.recognise(gray);
    } finally {
      pool.offer(engine);
    }
  }

  private static OcrResult result(List<OcrLine> lines, OcrLanguages languages) {
    double confidence = lines.stream().mapToDouble(OcrLine::confidence).average().orElse(0);
    return new OcrResult(lines, confidence, null, languages);
  }

  private static BufferedImage copy(BufferedImage sub) {
    BufferedImage out =
        new BufferedImage(sub.getWidth(), sub.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    out.getGraphics().drawImage(sub, 0, 0, null);
    return out;
  }

  private List<OcrLine> recogniseGray(BufferedImage gray, OcrLanguages languages)
      throws OcrException {
    TesseractEngine engine = borrow(languages);
    try {
      return engine.recognise(gray);
    } finally {
      pools.get(languages).offer(engine);
    }
  }

  private TesseractEngine borrow(OcrLanguages languages) throws OcrException {
    TesseractEngine engine = pools.get(languages).poll();
    if (engine != null) {
      return engine;
    }
    // English first: its dictionary and word model decide ties in mixed lines.
    String codes = languages == OcrLanguages.LATIN ? "eng" : "eng+chi_sim";
    return new TesseractEngine(tessdata.toString(), codes);
  }
}
