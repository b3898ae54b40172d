package io.tracklane.loadtest.jmh;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * A short run of {@link ProgressEngineBenchmark} (1 fork, 3 × 1 s warm-up, 5 × 1 s measurement)
 * that prints fixes per second against the target of 1,000,000 on one core. Exits with status 1
 * when below the target.
 *
 * <p>{@code java -cp <loadtest classpath> io.tracklane.loadtest.jmh.RunProgressBenchmark}
 */
public final class RunProgressBenchmark {
  static final double TARGET_FIXES_PER_S = 1_000_000;

  private RunProgressBenchmark() {}

  public static void main(String[] args) throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include(ProgressEngineBenchmark.class.getName() + ".onFix")
            .forks(1)
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(1))
            .threads(1)
            .timeUnit(TimeUnit.SECONDS)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    boolean ok = !results.isEmpty();
    for (RunResult r : results) {
      Result<?> primary = r.getPrimaryResult();
      double score = primary.getScore();
      boolean met = score >= TARGET_FIXES_PER_S;
      ok &= met;
      System.out.printf(
          "%nProgressEngineBenchmark.onFix: %,.0f fixes/s ± %,.0f (99.9 %%) on one thread; "
              + "target %,.0f: %s (%.0f ns per fix)%n",
          score, primary.getScoreError(), TARGET_FIXES_PER_S, met ? "MET" : "NOT MET", 1e9 / score);
    }
    if (!ok) System.exit(1);
  }
}
