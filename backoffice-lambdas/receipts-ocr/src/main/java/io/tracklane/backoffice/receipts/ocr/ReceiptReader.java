package io.tracklane.backoffice.receipts.ocr;

import io.tracklane.backoffice.receipts.ocr.extract.AmountExtractor;
import io.tracklane.backoffice.receipts.ocr.extract.AmountFinding;
import io.tracklane.backoffice.receipts.ocr.extract.ReceiptFieldExtractor;
import io.tracklane.backoffice.receipts.ocr.extract.ReceiptFields;
import io.tracklane.backoffice.receipts.ocr.image.ContentSniffer;
import io.tracklane.backoffice.receipts.ocr.image.FaintPrintDarkener;
import io.tracklane.backoffice.receipts.ocr.image.GrayImages;
import io.tracklane.backoffice.receipts.ocr.image.ImageIntake;
import io.tracklane.backoffice.receipts.ocr.image.PhotoPreparation;
import io.tracklane.backoffice.receipts.ocr.image.ReceiptImage;
import io.tracklane.backoffice.receipts.ocr.image.RejectedInputException;
import io.tracklane.backoffice.receipts.ocr.provider.TesseractOcr;
import io.tracklane.backoffice.receipts.ocr.provider.TextractExpenseOcr;
import io.tracklane.core.config.Settings;
import io.tracklane.core.config.SharedSettings;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

/**
 * Reads one receipt file; never throws for bad input: returns a failed reading with a reason.
 * Thread-safe; construct once.
 *
 * <p>Checks the bytes (type, size, dimensions), OCRs the upright image with Latin scripts first
 * and, when that finds no trustworthy total and the provider can, again with Chinese (VAT
 * invoices), then keeps the better of the two readings.
 */
public final class ReceiptReader {
  private final OcrProvider provider;
  private final ImageIntake intake;
  private final PhotoPreparation preparation;

  public ReceiptReader(OcrProvider provider) {
    this(provider, new ImageIntake());
  }

  /** Tesseract's readings get photos prepared first; Textract takes photos as they are. */
  public ReceiptReader(OcrProvider provider, ImageIntake intake) {
    this(
        provider,
        intake,
        provider instanceof TesseractOcr tesseract
            ? new PhotoPreparation(
                tesseract::readingConfidence, tesseract::readingConfidenceWithChinese)
            : null);
  }

  /** {@code preparation}: null to OCR the decoded image as it is. */
  public ReceiptReader(OcrProvider provider, ImageIntake intake, PhotoPreparation preparation) {
    this.provider = provider;
    this.intake = intake;
    this.preparation = preparation;
  }

  /**
   * TRACKLANE_OCR_PROVIDER=tesseract|textract (default tesseract), TRACKLANE_TESSDATA (optional
   * path).
   */
  public static ReceiptReader fromEnvironment(Map<String, String> env) {
    Settings settings = Settings.read(OcrSettings.ALL, env);
    return switch (settings.get(OcrSettings.PROVIDER)) {
      case TextractExpenseOcr.NAME ->
          new ReceiptReader(TextractExpenseOcr.forRegion(settings.get(SharedSettings.AWS_REGION)));
      default -> new ReceiptReader(TesseractOcr.forFolder(settings.get(OcrSettings.TESSDATA), env));
    };
  }

  public OcrProvider provider() {
    return provider;
  }

  public ReceiptReading read(byte[] content) {
    ReceiptImage image;
    try {
      image = intake.read(content);
    } catch (RejectedInputException e) {
      String type = content == null ? null : ContentSniffer.detect(content).orElse(null);
      return ReceiptReading.failed(e.getMessage(), type, provider.name());
    } catch (RuntimeException e) {
      return ReceiptReading.failed("unreadable image: " + e, null, provider.name());
    } catch (OutOfMemoryError e) {
      return ReceiptReading.failed(
          "the file needs more memory to decode than this function has", null, provider.name());
    }
    Speculation alternatives = new Speculation();
    try {
      if (preparation != null) {
        image =
            new ReceiptImage(
                image.contentType(), image.original(), preparation.prepare(image.image()), true);
      }
      Attempt best;
      ReceiptImage upsideDown = null;
      Attempt upsideDownAhead = null;
      if (preparation != null && invoiceShaped(image)) {
        // the orientation check seldom settles a VAT invoice (its Chinese reads almost as well
        // both ways up) and a guess is read again upside down: on an invoice-shaped page both
        // ways up are read side by side from the start, one per core, which costs no time when
        // the page reads upright and saves a whole pass when it does not
        upsideDown = turned(image, UPSIDE_DOWN);
        List<OcrResult> both =
            provider.recogniseEach(List.of(image, upsideDown), OcrLanguages.LATIN_AND_CHINESE);
        best = bestAttempt(image, attempt(both.get(0)), null, null);
        upsideDownAhead = attempt(both.get(1));
      } else {
        best = bestAttempt(image, null, alternatives, null);
      }
      // no amount, or only a guess: read the page again upside down (the orientation check may
      // have left it so: a VAT invoice's Chinese reads almost as well both ways up), then with
      // faint print darkened (a bold header's threshold wiped it out; not once Chinese read a
      // figure: VAT invoices never gained from it and pay seconds per pass); the better one stays
      for (UnaryOperator<BufferedImage> retry : RETRIES) {
        if (preparation == null
            || best.fields.amount() != null && best.fields.confidence() >= RETRY_BELOW) {
          break;
        }
        if (retry == DARKEN
            && best.fields.amount() != null
            && best.ocr.languages() == OcrLanguages.LATIN_AND_CHINESE) {
          break; // faint thermal print is a till receipt's; a VAT invoice is printed solid
        }
        boolean ahead = retry == UPSIDE_DOWN && upsideDown != null;
        ReceiptImage again = ahead ? upsideDown : turned(image, retry);
        Attempt other = bestAttempt(again, ahead ? upsideDownAhead : null, null, best);
        if (other.better(best)) {
          best = other;
          image = again;
        }
      }
      if (!best.fields.fapiao()
          && (!best.fields.trusted() || best.fields.confidence() < SELF_CONFIRMED)) {
        return confirmed(best, image, alternatives);
      }
      return reading(best, image.contentType(), List.of());
    } catch (OcrException e) {
      return ReceiptReading.failed(
          "OCR failed: " + e.getMessage(), image.contentType(), provider.name());
    } catch (RuntimeException e) {
      return ReceiptReading.failed("OCR failed: " + e, image.contentType(), provider.name());
    } catch (OutOfMemoryError e) {
      // the allocation that failed never happened; the image is dropped with this frame
      return ReceiptReading.failed(
          "OCR needs more memory for this image than this function has",
          image.contentType(),
          provider.name());
    } finally {
      alternatives.settle();
    }
  }

  /**
   * {@code ahead}: the image's pass already read (null: none), taken instead of reading it. {@code
   * alternatives}: where to start the other readings of a till receipt its first pass did not
   * settle (null: not here). {@code retryOf}: the reading this image retries (null: none): a till
   * receipt's retry whose first pass reads no better stops there.
   */
  private Attempt bestAttempt(
      ReceiptImage image, Attempt ahead, Speculation alternatives, Attempt retryOf)
      throws OcrException {
    Attempt best = null;
    for (OcrLanguages languages : passes(image)) {
      if (best != null && retryOf != null && !invoiceShaped(image) && !best.better(retryOf)) {
        // a retry of a till receipt whose Latin pass reads no better than the reading it retries:
        // the page reads no better this way, and a Chinese pass over a page that reads as noise
        // takes 6–9 s (SROIE 515: 13 s of 25)
        break;
      }
      if (best != null && alternatives != null && languages == OcrLanguages.LATIN_AND_CHINESE) {
        // the Chinese pass runs on one core for about 1.8 s; the other readings a total this
        // unsettled will most likely want (Latin, of this same image) take the other core
        alternatives.start(provider, image);
      }
      Attempt next =
          ahead != null && ahead.ocr.languages() == languages ? ahead : attempt(image, languages);
      if (best == null || next.better(best)) {
        if (best != null) {
          next = next.beside(best);
        }
        best = next;
      } else {
        best = best.beside(next);
      }
      // once Chinese read a figure on an invoice-shaped page, Latin never did better on the dev
      // invoices, and a pass costs a second there
      if (best.fields.trusted()
          || languages == OcrLanguages.LATIN_AND_CHINESE && best.fields.amount() != null) {
        break;
      }
    }
    return best;
  }

  /**
   * Latin first for till receipts (tall strips); Chinese first for landscape pages, the shape of a
   * VAT invoice, so each usually needs one pass. The other pass runs only when the first finds no
   * trustworthy total (on a landscape page: no figure at all).
   */
  private List<OcrLanguages> passes(ReceiptImage image) {
    if (!provider.supports(OcrLanguages.LATIN_AND_CHINESE)) {
      return List.of(OcrLanguages.LATIN);
    }
    return invoiceShaped(image)
        ? List.of(OcrLanguages.LATIN_AND_CHINESE, OcrLanguages.LATIN)
        : List.of(OcrLanguages.LATIN, OcrLanguages.LATIN_AND_CHINESE);
  }

  /** Landscape, the shape of a VAT invoice, with a provider that reads Chinese. */
  private boolean invoiceShaped(ReceiptImage image) {
    return image.image().getWidth() > image.image().getHeight()
        && provider.supports(OcrLanguages.LATIN_AND_CHINESE);
  }

  private static ReceiptImage turned(ReceiptImage image, UnaryOperator<BufferedImage> way) {
    return new ReceiptImage(
        image.contentType(), image.original(), way.apply(GrayImages.gray(image.image())), true);
  }

  /**
   * One pass over an image; {@code otherPass}: the same image's pass in the other language set that
   * this one beat (null when none ran), kept as a reading that can confirm this one's total.
   */
  private record Attempt(OcrResult ocr, ReceiptFields fields, Attempt otherPass) {
    Attempt(OcrResult ocr, ReceiptFields fields) {
      this(ocr, fields, null);
    }

    Attempt beside(Attempt other) {
      return new Attempt(ocr, fields, other);
    }

    boolean better(Attempt other) {
      if (fields.amount() == null) {
        return false;
      }
      if (other.fields.amount() == null || fields.trusted() && !other.fields.trusted()) {
        return true;
      }
      // A VAT invoice read with its own language beats an English misreading of it.
      if (fields.fapiao() && !other.fields.fapiao()) {
        return true;
      }
      return fields.confidence() > other.fields.confidence();
    }
  }

  private Attempt attempt(ReceiptImage image, OcrLanguages languages) throws OcrException {
    return attempt(provider.recognise(image, languages));
  }

  private static Attempt attempt(OcrResult ocr) {
    ReceiptFields fields = ReceiptFieldExtractor.extract(ocr.lines());
    if (ocr.expense() != null) {
      fields = ExpenseFields.merge(ocr.expense(), fields);
    }
    return new Attempt(ocr, fields);
  }

  /**
   * The first reading's total is not confirmed: reads the image again in other ways (Latin, unless
   * the first was a VAT invoice) and weighs the readings ({@link ReadingsAgreement}). A total they
   * confirm stands; otherwise the receipt stays for review with every figure kept for the reviewer
   * to pick from.
   */
  private ReceiptReading confirmed(Attempt first, ReceiptImage image, Speculation ahead)
      throws OcrException {
    OcrLanguages languages = first.fields.fapiao() ? first.ocr.languages() : OcrLanguages.LATIN;
    List<OcrProvider.NamedReading> read = ahead.take(image, languages);
    if (read == null) {
      read = provider.alternativeReadings(image, languages);
    }
    List<ReadingsAgreement.Read> others = new ArrayList<>();
    ReadingsAgreement.Read otherPass =
        first.otherPass == null
            ? null
            : new ReadingsAgreement.Read(
                first.otherPass.ocr.languages() == OcrLanguages.LATIN ? ENGLISH_PASS : CHINESE_PASS,
                first.otherPass.fields);
    for (OcrProvider.NamedReading alternative : read) {
      others.add(
          new ReadingsAgreement.Read(
              alternative.name(), ReceiptFieldExtractor.extract(alternative.result().lines())));
    }
    ReadingsAgreement.Decision d =
        ReadingsAgreement.decide(
            first.fields,
            others,
            AmountExtractor.largestItem(first.ocr.lines()).orElse(null),
            otherPass);
    ReceiptFields f = first.fields;
    ReceiptFields decided =
        new ReceiptFields(
            d.proposed(),
            f.currency(),
            f.date(),
            f.merchant(),
            d.confidence(),
            d.doubts(),
            f.fapiao(),
            f.otherTotals(),
            f.digitConfidence(),
            f.arithmetic(),
            f.taxAtRate());
    if (d.confirmed()) {
      return reading(new Attempt(first.ocr, decided), image.contentType(), List.of());
    }
    Map<BigDecimal, List<String>> votes = new LinkedHashMap<>(d.votes());
    for (AmountFinding.Alternative other : f.otherTotals()) {
      votes.computeIfAbsent(other.amount(), k -> new ArrayList<>()).add(other.source());
    }
    return reading(
        new Attempt(first.ocr, decided), image.contentType(), competing(d.proposed(), votes));
  }

  /**
   * The Latin alternative readings of one image, started ahead while the reader does other work,
   * taken when the reading comes to want them of that image, else waited out, so no reading of this
   * receipt outlives it and takes cores from the next.
   */
  private static final class Speculation {
    private ReceiptImage image;
    private Future<List<OcrProvider.NamedReading>> running;

    void start(OcrProvider provider, ReceiptImage of) {
      if (running == null) {
        image = of;
        running = AHEAD.submit(() -> provider.alternativeReadings(of, OcrLanguages.LATIN));
      }
    }

    /** The readings started ahead if they are of this image and languages, else null. */
    List<OcrProvider.NamedReading> take(ReceiptImage of, OcrLanguages languages)
        throws OcrException {
      if (running == null || of != image || languages != OcrLanguages.LATIN) {
        settle();
        return null;
      }
      return OcrException.await(running);
    }

    /** Waits for readings started ahead and not wanted; their outcome no longer matters. */
    void settle() {
      if (running == null) {
        return;
      }
      try {
        running.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // unwanted readings: their failure costs this receipt nothing
      }
    }
  }

  /**
   * Threads that wait on readings started ahead (the readings themselves run on the provider's own
   * threads): daemons, one per receipt in flight.
   */
  private static final ExecutorService AHEAD =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "receipt-reading-ahead");
            t.setDaemon(true);
            return t;
          });

  static final String ENGLISH_PASS = "page in English";
  static final String CHINESE_PASS = "page with Chinese";

  /** A reading this unsure of its total (a guess) is read again in the ways of {@link #RETRIES}. */
  static final double RETRY_BELOW = 0.3;

  private static final FaintPrintDarkener DARKENER = new FaintPrintDarkener();

  private static final UnaryOperator<BufferedImage> DARKEN = DARKENER::darken;

  private static final UnaryOperator<BufferedImage> UPSIDE_DOWN =
      page -> GrayImages.quarterTurns(page, 2);

  private static final List<UnaryOperator<BufferedImage>> RETRIES = List.of(UPSIDE_DOWN, DARKEN);

  /**
   * A trusted total below this confidence rests on one labelled line alone (nothing on the receipt
   * confirms it): the dev sets' misread digits passed at 0.71 and 0.76, so such a total must also
   * be confirmed by the other readings to stand.
   */
  static final double SELF_CONFIRMED = 0.8;

  /** The proposed figure first, then each other one with who read it; empty when only one. */
  private static List<TotalReading> competing(
      BigDecimal proposed, Map<BigDecimal, List<String>> votes) {
    if (votes.size() < 2) {
      return List.of();
    }
    List<TotalReading> out = new ArrayList<>();
    if (proposed != null && votes.containsKey(proposed)) {
      out.add(new TotalReading(proposed, votes.get(proposed)));
    }
    votes.forEach(
        (amount, readBy) -> {
          if (proposed == null || amount.compareTo(proposed) != 0) {
            out.add(new TotalReading(amount, readBy));
          }
        });
    return out;
  }

  private ReceiptReading reading(
      Attempt attempt, String contentType, List<TotalReading> competingTotals) {
    ReceiptFields f = attempt.fields;
    List<String> reasons = new ArrayList<>(f.doubts());
    if (f.amount() == null && reasons.isEmpty()) {
      reasons.add("no total found");
    }
    ReceiptReading.Status status =
        f.trusted() ? ReceiptReading.Status.EXTRACTED : ReceiptReading.Status.NEEDS_REVIEW;
    if (status == ReceiptReading.Status.EXTRACTED) {
      reasons.clear();
    }
    return new ReceiptReading(
        status,
        f.amount(),
        f.currency(),
        f.date(),
        f.merchant(),
        Math.round(f.confidence() * 100) / 100.0,
        provider.name(),
        attempt.ocr.text(),
        reasons,
        null,
        contentType,
        competingTotals);
  }
}
