package io.tracklane.loadtest;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the CPU went during a window, in percent of one core: the dynalite node process, and this
 * JVM split by thread kind (gateway event loop, AWS SDK, the MQTT fleet, the rest). Lets a reader
 * see whether the store, the gateway or the load generator was the bottleneck on a small machine.
 */
final class CpuProfile {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  record Snapshot(
      long wallNanos,
      long jvmCpuNanos,
      long storeCpuNanos,
      Map<Long, Long> threadCpu,
      Map<Long, String> threadNames) {}

  private final Optional<ProcessHandle> store;

  /** {@code storePort}: the port on the dynalite command line, to find that child process. */
  CpuProfile(int storePort) {
    String portArg = "--port " + storePort;
    this.store =
        ProcessHandle.current()
            .children()
            .filter(
                p ->
                    p.info()
                        .commandLine()
                        .map(c -> c.contains("dynalite") && c.contains(portArg))
                        .orElse(false))
            .findFirst();
    if (THREADS.isThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled()) {
      THREADS.setThreadCpuTimeEnabled(true);
    }
  }

  Snapshot snapshot() {
    Map<Long, Long> cpu = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    if (THREADS.isThreadCpuTimeSupported()) {
      for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (t == null) continue;
        long ns = THREADS.getThreadCpuTime(t.getThreadId());
        if (ns < 0) continue;
        cpu.put(t.getThreadId(), ns);
        names.put(t.getThreadId(), t.getThreadName());
      }
    }
    long storeCpu =
        store.flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
    return new Snapshot(System.nanoTime(), jvmCpuNanos(), storeCpu, cpu, names);
  }

  /** e.g. {@code dynalite 97%, JVM 88% (gateway loop 41, AWS SDK 30, fleet 9, GC/JIT/other 8)}. */
  static String describe(Snapshot a, Snapshot b, Set<Long> fleetThreads) {
    double wall = b.wallNanos() - a.wallNanos();
    if (wall <= 0) return "n/a";
    Map<String, Long> byKind = new LinkedHashMap<>();
    for (String k : new String[] {"gateway loop", "AWS SDK", "fleet"}) byKind.put(k, 0L);
    for (Map.Entry<Long, Long> e : b.threadCpu().entrySet()) {
      long delta = e.getValue() - a.threadCpu().getOrDefault(e.getKey(), 0L);
      if (delta <= 0) continue;
      String kind = kind(e.getKey(), b.threadNames().get(e.getKey()), fleetThreads);
      if (kind != null) byKind.merge(kind, delta, Long::sum);
    }
    long jvm = b.jvmCpuNanos() - a.jvmCpuNanos();
    long named = byKind.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder s = new StringBuilder();
    s.append("dynalite ")
        .append(
            b.storeCpuNanos() < 0 || a.storeCpuNanos() < 0
                ? "n/a"
                : pct(b.storeCpuNanos() - a.storeCpuNanos(), wall) + "%");
    if (jvm >= 0) {
      s.append(", JVM ").append(pct(jvm, wall)).append("% (");
      byKind.forEach(
          (k, v) -> {
            if (pct(v, wall) > 0) s.append(k).append(' ').append(pct(v, wall)).append(", ");
          });
      // Threads not named above plus the VM's own (GC, JIT), which ThreadMXBean does not list.
      s.append("GC/JIT/other ").append(pct(Math.max(0, jvm - named), wall)).append(')');
    }
    return s.toString();
  }

  private static String kind(long id, String name, Set<Long> fleetThreads) {
    if (fleetThreads.contains(id)) return "fleet";
    if (name == null) return null;
    if (name.startsWith("vert.x-eventloop")) return "gateway loop";
    if (name.startsWith("aws-java-sdk") || name.startsWith("sdk-async-response")) return "AWS SDK";
    return null;
  }

  private static long pct(long nanos, double wall) {
    return Math.round(100.0 * nanos / wall);
  }

  private static long jvmCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
