package io.tracklane.backoffice.receipts.ocr;

/**
 * Scripts to recognise: Latin only is faster and better on English receipts; Chinese is needed for
 * 发票.
 */
public enum OcrLanguages {
  LATIN,
  LATIN_AND_CHINESE
}
