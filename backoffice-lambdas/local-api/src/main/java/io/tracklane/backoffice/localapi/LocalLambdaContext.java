package io.tracklane.backoffice.localapi;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda {@link Context} of one local invocation (local-api, the cold-start probe): its own
 * request id, the time left, a logger.
 */
public final class LocalLambdaContext implements Context {
  static final int MEMORY_MB = 512;

  private final String function;
  private final String awsRequestId;
  private final long deadlineNanos;
  private final LambdaLogger logger;

  public LocalLambdaContext(String function, String awsRequestId, long deadlineNanos) {
    this.function = function;
    this.awsRequestId = awsRequestId;
    this.deadlineNanos = deadlineNanos;
    Logger log = LoggerFactory.getLogger("lambda." + function);
    this.logger =
        new LambdaLogger() {
          @Override
          public void log(String message) {
            log.info("[{}] {}", awsRequestId, message);
          }

          @Override
          public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
          }
        };
  }

  @Override
  public String getAwsRequestId() {
    return awsRequestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + function;
  }

  @Override
  public String getLogStreamName() {
    return "local";
  }

  @Override
  public String getFunctionName() {
    return function;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return LocalAws.functionArn(function);
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
  }

  @Override
  public int getMemoryLimitInMB() {
    return MEMORY_MB;
  }

  @Override
  public LambdaLogger getLogger() {
    return logger;
  }
}
