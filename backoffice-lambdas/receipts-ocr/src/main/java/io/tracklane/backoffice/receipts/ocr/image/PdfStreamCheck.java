package io.tracklane.backoffice.receipts.ocr.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.filter.Filter;
import org.apache.pdfbox.filter.FilterFactory;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Looks at every stream of a loaded PDF before anything is rendered: an image XObject is refused
 * from its declared /Width, /Height and /BitsPerComponent (never decoded here), any other stream is
 * decoded into a counter that stops at {@link ImageLimits#maxStreamBytes()} — PDFBox itself would
 * decode each stream whole into memory, so a flate bomb would be inflated before anyone could look
 * at its size.
 */
final class PdfStreamCheck {
  /**
   * Codecs whose output only an image decoder reads; such streams are judged by their image
   * dictionary.
   */
  private static final Set<COSName> IMAGE_CODECS =
      Set.of(
          COSName.DCT_DECODE,
          COSName.DCT_DECODE_ABBREVIATION,
          COSName.JPX_DECODE,
          COSName.JBIG2_DECODE,
          COSName.CCITTFAX_DECODE,
          COSName.CCITTFAX_DECODE_ABBREVIATION);

  /** The deepest sample a PDF image may declare. */
  private static final int MAX_BITS_PER_COMPONENT = 16;

  private final ImageLimits limits;

  PdfStreamCheck(ImageLimits limits) {
    this.limits = limits;
  }

  void check(PDDocument document) throws RejectedInputException, IOException {
    var cos = document.getDocument();
    List<COSObjectKey> keys = new ArrayList<>(cos.getXrefTable().keySet());
    for (COSObjectKey key : keys) {
      COSBase object = cos.getObjectFromPool(key).getObject();
      if (object instanceof COSStream stream) {
        checkStream(stream, key);
      }
    }
  }

  private void checkStream(COSStream stream, COSObjectKey key)
      throws RejectedInputException, IOException {
    String what = "PDF object " + key.getNumber() + " " + key.getGeneration();
    if (COSName.IMAGE.equals(stream.getCOSName(COSName.SUBTYPE))) {
      checkImage(stream, what + " (an image)");
      return;
    }
    List<COSName> filters = filters(stream);
    if (filters.isEmpty() || filters.stream().anyMatch(IMAGE_CODECS::contains)) {
      return; // raw streams are no bigger than the file; image codecs only run for images, checked
      // above
    }
    try (InputStream raw = stream.createRawInputStream()) {
      decodeCounting(raw, filters, stream, what);
    }
  }

  /** The declared size of an image against the pixel limits, before a byte of it is decoded. */
  void checkImage(COSDictionary image, String what) throws RejectedInputException {
    long width = image.getLong(COSName.WIDTH, -1);
    long height = image.getLong(COSName.HEIGHT, -1);
    String problem = limits.dimensionProblem(width, height, what);
    if (problem != null) {
      throw new RejectedInputException(problem);
    }
    long bits = image.getLong(COSName.BITS_PER_COMPONENT, 8);
    if (bits > MAX_BITS_PER_COMPONENT) {
      throw new RejectedInputException(
          what
              + " declares "
              + bits
              + " bits per component; PDF allows at most "
              + MAX_BITS_PER_COMPONENT);
    }
  }

  private void decodeCounting(InputStream raw, List<COSName> filters, COSStream stream, String what)
      throws RejectedInputException, IOException {
    InputStream in = raw;
    for (int i = 0; i < filters.size(); i++) {
      Filter filter = FilterFactory.INSTANCE.getFilter(filters.get(i));
      boolean last = i == filters.size() - 1;
      // intermediate results are kept (bounded by the cap) for the next filter; the last is only
      // counted
      CappedOutput out = new CappedOutput(limits.maxStreamBytes(), !last);
      try {
        filter.decode(in, out, stream, i);
      } catch (StreamTooLarge e) {
        throw new RejectedInputException(
            what
                + " expands to more than "
                + limits.maxStreamBytes() / (1 << 20)
                + " MB when decoded");
      } catch (IOException e) {
        return; // undecodable data: PDFBox will skip or report it while rendering, bounded by the
        // same input
      }
      if (!last) {
        in = new ByteArrayInputStream(out.bytes());
      }
    }
  }

  private static List<COSName> filters(COSStream stream) {
    COSBase f = stream.getFilters();
    List<COSName> names = new ArrayList<>();
    if (f instanceof COSName n) {
      names.add(n);
    } else if (f instanceof COSArray a) {
      for (COSBase b : a) {
        if (b instanceof COSName n) names.add(n);
      }
    }
    return names;
  }

  /**
   * Thrown by {@link CappedOutput} once the cap is passed; unchecked so no filter swallows it as an
   * I/O problem.
   */
  private static final class StreamTooLarge extends RuntimeException {
    StreamTooLarge() {
      super(null, null, false, false);
    }
  }

  /** Counts (and when asked keeps) what a filter writes, up to a cap. */
  private static final class CappedOutput extends OutputStream {
    private final long cap;
    private final ByteArrayOutputStream kept;
    private long count;

    CappedOutput(long cap, boolean keep) {
      this.cap = cap;
      this.kept = keep ? new ByteArrayOutputStream() : null;
    }

    @Override
    public void write(int b) {
      add(1);
      if (kept != null) kept.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      add(len);
      if (kept != null) kept.write(b, off, len);
    }

    private void add(int n) {
      count += n;
      if (count > cap) throw new StreamTooLarge();
    }

    byte[] bytes() {
      return kept.toByteArray();
    }
  }
}
