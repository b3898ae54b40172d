package io.tracklane.backoffice.receipts.ocr.bench;

import io.tracklane.backoffice.receipts.ocr.OcrException;
import io.tracklane.backoffice.receipts.ocr.OcrLanguages;
import io.tracklane.backoffice.receipts.ocr.OcrLine;
import io.tracklane.backoffice.receipts.ocr.OcrProvider;
import io.tracklane.backoffice.receipts.ocr.OcrResult;
import io.tracklane.backoffice.receipts.ocr.OcrWord;
import io.tracklane.backoffice.receipts.ocr.image.ReceiptImage;
import io.tracklane.backoffice.receipts.ocr.provider.TesseractOcr;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * BENCHMARK ONLY: Tesseract's readings kept on disk, keyed by the exact pixels read (and the
 * languages and kind of reading), so a change to the extraction or the agreement rules is measured
 * in a minute instead of re-running OCR. A change to the image preparation changes the pixels and
 * so misses the cache by itself; a change inside {@link TesseractOcr} (its scaling, modes or
 * models) does not: delete the folder then ({@code --ocr-cache DIR} in the benchmark).
 */
final class CachingOcrProvider implements OcrProvider {
  private static final int FORMAT = 1;

  private final TesseractOcr tesseract;
  private final Path folder;

  CachingOcrProvider(TesseractOcr tesseract, Path folder) {
    this.tesseract = tesseract;
    this.folder = folder;
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String name() {
    return tesseract.name();
  }

  @Override
  public boolean supports(OcrLanguages languages) {
    return tesseract.supports(languages);
  }

  @Override
  public OcrResult recognise(ReceiptImage image, OcrLanguages languages) throws OcrException {
    String key = key(image.image(), "recognise-" + languages);
    List<Named> cached = load(key);
    if (cached != null) {
      return cached.get(0).result;
    }
    OcrResult result = tesseract.recognise(image, languages);
    store(key, List.of(new Named("", result)));
    return result;
  }

  @Override
  public List<NamedReading> alternativeReadings(ReceiptImage image, OcrLanguages languages)
      throws OcrException {
    String key = key(image.image(), "alternatives-" + languages);
    List<Named> cached = load(key);
    if (cached == null) {
      cached = new ArrayList<>();
      for (NamedReading r : tesseract.alternativeReadings(image, languages)) {
        cached.add(new Named(r.name(), r.result()));
      }
      store(key, cached);
    }
    return cached.stream().map(n -> new NamedReading(n.name, n.result)).toList();
  }

  double readingConfidence(BufferedImage gray) {
    return confidence(gray, "confidence-latin", false);
  }

  double readingConfidenceWithChinese(BufferedImage gray) {
    return confidence(gray, "confidence-chinese", true);
  }

  private double confidence(BufferedImage gray, String kind, boolean chinese) {
    Path file = folder.resolve(key(gray, kind));
    try {
      if (Files.isRegularFile(file)) {
        return ByteBuffer.wrap(Files.readAllBytes(file)).getDouble();
      }
      double c =
          chinese
              ? tesseract.readingConfidenceWithChinese(gray)
              : tesseract.readingConfidence(gray);
      write(file, ByteBuffer.allocate(8).putDouble(c).array());
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Named(String name, OcrResult result) {}

  private static String key(BufferedImage image, String kind) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(
          (FORMAT + "|" + kind + "|" + image.getWidth() + "x" + image.getHeight()).getBytes());
      if (image.getRaster().getDataBuffer() instanceof DataBufferByte bytes
          && image.getType() == BufferedImage.TYPE_BYTE_GRAY
          && bytes.getNumBanks() == 1
          && image.getRaster().getParent() == null) {
        sha.update(bytes.getData());
      } else {
        int[] row = new int[image.getWidth()];
        ByteBuffer buf = ByteBuffer.allocate(row.length * 4);
        for (int y = 0; y < image.getHeight(); y++) {
          image.getRGB(0, y, row.length, 1, row, 0, row.length);
          buf.clear();
          buf.asIntBuffer().put(row);
          sha.update(buf.array());
        }
      }
      return kind + "-" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<Named> load(String key) {
    Path file = folder.resolve(key);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (var in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
      int n = in.readInt();
      List<Named> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        OcrLanguages languages = OcrLanguages.valueOf(in.readUTF());
        double confidence = in.readDouble();
        int lineCount = in.readInt();
        List<OcrLine> lines = new ArrayList<>(lineCount);
        for (int l = 0; l < lineCount; l++) {
          String text = in.readUTF();
          double c = in.readDouble();
          int top = in.readInt();
          int height = in.readInt();
          int wordCount = in.readInt();
          List<OcrWord> words = new ArrayList<>(wordCount);
          for (int w = 0; w < wordCount; w++) {
            words.add(new OcrWord(in.readUTF(), in.readDouble()));
          }
          lines.add(new OcrLine(text, c, top, height, words));
        }
        out.add(new Named(name, new OcrResult(lines, confidence, null, languages)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void store(String key, List<Named> readings) {
    var bytes = new ByteArrayOutputStream();
    try (var out = new DataOutputStream(bytes)) {
      out.writeInt(readings.size());
      for (Named r : readings) {
        out.writeUTF(r.name);
        out.writeUTF(r.result.languages().name());
        out.writeDouble(r.result.confidence());
        out.writeInt(r.result.lines().size());
        for (OcrLine line : r.result.lines()) {
          out.writeUTF(line.text());
          out.writeDouble(line.confidence());
          out.writeInt(line.top());
          out.writeInt(line.height());
          out.writeInt(line.words().size());
          for (OcrWord w : line.words()) {
            out.writeUTF(w.text());
            out.writeDouble(w.confidence());
          }
        }
      }
      out.flush();
      write(folder.resolve(key), bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, byte[] content) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), "partial", ".tmp");
    Files.write(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
