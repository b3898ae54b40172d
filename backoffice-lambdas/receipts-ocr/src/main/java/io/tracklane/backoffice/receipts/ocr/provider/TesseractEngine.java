package io.tracklane.backoffice.receipts.ocr.provider;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.tracklane.backoffice.receipts.ocr.OcrException;
import io.tracklane.backoffice.receipts.ocr.OcrLine;
import io.tracklane.backoffice.receipts.ocr.OcrWord;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.sourceforge.tess4j.ITessAPI.TessBaseAPI;
import net.sourceforge.tess4j.ITessAPI.TessPageIteratorLevel;
import net.sourceforge.tess4j.ITessAPI.TessPageSegMode;
import net.sourceforge.tess4j.ITessAPI.TessResultIterator;
import net.sourceforge.tess4j.TessAPI;
import net.sourceforge.tess4j.util.LoadLibs;

/**
 * One native Tesseract instance (tess4j's C API binding) for one language set. Not thread-safe:
 * {@link TesseractOcr} lends each engine to one thread at a time.
 *
 * <p>Uses the {@link TessAPI} interface binding, which looks functions up when first called, rather
 * than TessAPI1, which binds every function at class load and so fails on a Tesseract older than
 * tess4j's headers (Debian 12 ships 5.3, without TessBaseAPIGetGradient).
 */
final class TesseractEngine implements AutoCloseable {
  private final TessAPI api;
  private final TessBaseAPI handle;

  TesseractEngine(String tessdata, String languages) throws OcrException {
    this(tessdata, languages, TessPageSegMode.PSM_SINGLE_BLOCK);
  }

  TesseractEngine(String tessdata, String languages, int pageSegMode) throws OcrException {
    try {
      api = Binding.API;
      handle = api.TessBaseAPICreate();
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new OcrException(
          "Tesseract library not installed (apt-get install tesseract-ocr): " + e.getMessage(), e);
    }
    if (api.TessBaseAPIInit3(handle, tessdata, languages) != 0) {
      api.TessBaseAPIDelete(handle);
      throw new OcrException(
          "Tesseract could not load languages " + languages + " from " + tessdata);
    }
    // Page mode 6: one uniform block of text, which is what a receipt is; automatic layout
    // analysis splits receipt columns (label | amount) into separate blocks and loses the pairing.
    api.TessBaseAPISetPageSegMode(handle, pageSegMode);
    api.TessBaseAPISetVariable(handle, "preserve_interword_spaces", "1");
    // Skip re-reading every doubtful line as white-on-black: receipts have no inverted text, and
    // on noisy photos those retries took about half the recognition time.
    api.TessBaseAPISetVariable(handle, "tessedit_do_invert", "0");
  }

  /** Recognises a TYPE_BYTE_GRAY image, returning its lines with confidences 0..1. */
  List<OcrLine> recognise(BufferedImage gray) throws OcrException {
    int w = gray.getWidth();
    int h = gray.getHeight();
    byte[] pixels = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
    ByteBuffer buffer = ByteBuffer.allocateDirect(pixels.length);
    buffer.put(pixels).flip();
    api.TessBaseAPISetImage(handle, buffer, w, h, 1, w);
    api.TessBaseAPISetSourceResolution(handle, 300);
    try {
      if (api.TessBaseAPIRecognize(handle, null) != 0) {
        throw new OcrException("Tesseract failed to recognise the image");
      }
      return lines();
    } finally {
      api.TessBaseAPIClear(handle);
    }
  }

  /**
   * Walks the result word by word: at the first word of each line the line's own text, confidence
   * and box are taken, then every word's text and confidence is added to it.
   */
  private List<OcrLine> lines() {
    List<OcrLine> lines = new ArrayList<>();
    TessResultIterator it = api.TessBaseAPIGetIterator(handle);
    if (it == null) {
      return lines;
    }
    try {
      var page = api.TessResultIteratorGetPageIterator(it);
      IntBuffer left = IntBuffer.allocate(1);
      IntBuffer top = IntBuffer.allocate(1);
      IntBuffer right = IntBuffer.allocate(1);
      IntBuffer bottom = IntBuffer.allocate(1);
      String line = null;
      float lineConfidence = 0;
      int lineTop = 0;
      int lineHeight = 0;
      List<OcrWord> words = new ArrayList<>();
      do {
        if (api.TessPageIteratorIsAtBeginningOf(page, TessPageIteratorLevel.RIL_TEXTLINE) != 0) {
          add(lines, line, lineConfidence, lineTop, lineHeight, words);
          words = new ArrayList<>();
          line = text(it, TessPageIteratorLevel.RIL_TEXTLINE);
          lineConfidence = api.TessResultIteratorConfidence(it, TessPageIteratorLevel.RIL_TEXTLINE);
          api.TessPageIteratorBoundingBox(
              page, TessPageIteratorLevel.RIL_TEXTLINE, left, top, right, bottom);
          lineTop = top.get(0);
          lineHeight = bottom.get(0) - top.get(0);
        }
        String word = text(it, TessPageIteratorLevel.RIL_WORD);
        if (word != null && !word.isBlank()) {
          words.add(
              new OcrWord(
                  word,
                  percent(api.TessResultIteratorConfidence(it, TessPageIteratorLevel.RIL_WORD))));
        }
      } while (api.TessResultIteratorNext(it, TessPageIteratorLevel.RIL_WORD) == 1);
      add(lines, line, lineConfidence, lineTop, lineHeight, words);
    } finally {
      api.TessResultIteratorDelete(it);
    }
    return lines;
  }

  private String text(TessResultIterator it, int level) {
    Pointer text = api.TessResultIteratorGetUTF8Text(it, level);
    if (text == null) {
      return null;
    }
    String s = text.getString(0, StandardCharsets.UTF_8.name());
    api.TessDeleteText(text);
    return s;
  }

  private static void add(
      List<OcrLine> lines,
      String line,
      float confidence,
      int top,
      int height,
      List<OcrWord> words) {
    if (line != null && !line.isBlank()) {
      lines.add(new OcrLine(line, percent(confidence), top, height, words));
    }
  }

  private static double percent(float confidence) {
    return Math.max(0, Math.min(1, confidence / 100.0));
  }

  /**
   * Loaded once per JVM, on first use. Tesseract's OpenMP threads spin against the JVM's own
   * threads: measured 3x slower per receipt on 2 cores than one thread, so unless the operator
   * chose a value, OMP_THREAD_LIMIT=1 is set before libgomp loads (it reads it once, at load).
   * Receipts are parallelised across requests instead.
   */
  private static final class Binding {
    static final TessAPI API = load();

    private static TessAPI load() {
      if (System.getenv("OMP_THREAD_LIMIT") == null) {
        try {
          LibC.INSTANCE.setenv("OMP_THREAD_LIMIT", "1", 0);
        } catch (LinkageError e) {
          // not a POSIX libc (Windows): keep Tesseract's default threading
        }
      }
      return LoadLibs.getTessAPIInstance();
    }
  }

  /** The C library's setenv, so the native side sees the variable (System.getenv is read-only). */
  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int setenv(String name, String value, int overwrite);
  }

  @Override
  public void close() {
    api.TessBaseAPIEnd(handle);
    api.TessBaseAPIDelete(handle);
  }
}
