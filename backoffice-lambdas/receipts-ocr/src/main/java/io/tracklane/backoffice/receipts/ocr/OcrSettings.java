package io.tracklane.backoffice.receipts.ocr;

import io.tracklane.core.config.Setting;
import io.tracklane.core.config.SharedSettings;
import java.util.List;

/** What the receipt reader reads from the environment, as typed settings. */
public final class OcrSettings {
  private OcrSettings() {}

  public static final Setting<String> PROVIDER =
      Setting.oneOf(
          "TRACKLANE_OCR_PROVIDER",
          "tesseract",
          "which OCR reads receipts: Tesseract (everywhere, the only one in China) or Amazon Textract",
          "tesseract",
          "textract");
  public static final Setting<String> TESSDATA =
      Setting.string(
          "TRACKLANE_TESSDATA",
          "",
          "folder holding Tesseract's `eng.traineddata`; empty: `TESSDATA_PREFIX`, then the usual install folders");

  /** The reader's own settings, in the README's order. */
  public static final List<Setting<?>> OWN = List.of(PROVIDER, TESSDATA);

  /** Everything the reader reads (Textract needs the region). */
  public static final List<Setting<?>> ALL = List.of(PROVIDER, TESSDATA, SharedSettings.AWS_REGION);
}
