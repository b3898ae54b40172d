package io.tracklane.backoffice.localapi;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs Lambda handlers the way the Lambda runtime would: on their own thread (handlers block, e.g.
 * blocking JDBC), one invocation per thread, with a timeout. On timeout the caller gets {@link
 * FunctionTimeoutException} at once and the handler's thread is interrupted. Results are delivered
 * on the caller's Vert.x context.
 */
final class FunctionInvoker implements AutoCloseable {
  private final Vertx vertx;
  private final Duration timeout;
  private final ExecutorService threads;

  FunctionInvoker(Vertx vertx, Duration timeout) {
    if (timeout.isZero() || timeout.isNegative())
      throw new IllegalArgumentException("timeout must be > 0");
    this.vertx = vertx;
    this.timeout = timeout;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "local-api-function-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.threads = Executors.newCachedThreadPool(factory);
  }

  Duration timeout() {
    return timeout;
  }

  <I, O> Future<O> invoke(String function, RequestHandler<I, O> handler, I input) {
    Context context = vertx.getOrCreateContext();
    Promise<O> promise = Promise.promise();
    long deadline = System.nanoTime() + timeout.toNanos();
    LocalLambdaContext lambdaContext =
        new LocalLambdaContext(function, UUID.randomUUID().toString(), deadline);
    java.util.concurrent.Future<?> task =
        threads.submit(
            () -> {
              try {
                O output = handler.handleRequest(input, lambdaContext);
                context.runOnContext(v -> promise.tryComplete(output));
              } catch (Throwable t) {
                context.runOnContext(v -> promise.tryFail(t));
              }
            });
    context.runOnContext(
        v -> {
          long timer =
              vertx.setTimer(
                  timeout.toMillis(),
                  id -> {
                    if (promise.tryFail(new FunctionTimeoutException(function, timeout)))
                      task.cancel(true);
                  });
          promise.future().onComplete(ar -> vertx.cancelTimer(timer));
        });
    return promise.future();
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
