package io.tracklane.backoffice.localapi;

/**
 * The AWS coordinates local-api pretends to run at. local-api never runs on AWS, so these are
 * fixed; the partition literal lives here and nowhere else (deployed code derives ARNs from what
 * AWS hands it, e.g. the authorizer from the incoming {@code methodArn}).
 */
public final class LocalAws {
  /** The one literal partition in the code base: local-api only. */
  public static final String PARTITION = "aws";

  public static final String REGION = "local";
  public static final String ACCOUNT_ID = "000000000000";
  public static final String API_ID = "local";
  public static final String STAGE = "local";

  private LocalAws() {}

  /**
   * {@code arn:aws:execute-api:local:000000000000:local/local/GET/routes/r1}, as API Gateway builds
   * it.
   */
  public static String methodArn(String method, String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return "arn:"
        + PARTITION
        + ":execute-api:"
        + REGION
        + ":"
        + ACCOUNT_ID
        + ":"
        + API_ID
        + "/"
        + STAGE
        + "/"
        + method
        + "/"
        + p;
  }

  public static String functionArn(String function) {
    return "arn:" + PARTITION + ":lambda:" + REGION + ":" + ACCOUNT_ID + ":function:" + function;
  }
}
