package dev.agentmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentmemory.bench.JvmThreads.Interval;
import dev.agentmemory.bench.JvmThreads.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attribution of a flight recording's CPU to thread kinds and windows. */
class JvmThreadsTest {

    @Test
    void aRecordingAttributesABusyStoreThreadsCpuToTheStoreKind(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("threads.jfr");
        long from;
        long to;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ThreadCPULoad").withPeriod(Duration.ofMillis(200));
            recording.enable("jdk.CPULoad").withPeriod(Duration.ofMillis(200));
            recording.start();
            from = System.currentTimeMillis();
            Thread busy = new Thread(JvmThreadsTest::spinHalfASecondOfCpu, JvmThreads.STORE_THREAD_PREFIX + "test-1");
            busy.start();
            busy.join();
            Thread.sleep(500);
            to = System.currentTimeMillis();
            recording.stop();
            recording.dump(file);
        }

        Map<Kind, Double> cpu = JvmThreads.read(file).cpu(from - 1_000, to + 1_000);

        // The thread used half a second of CPU; the recording sees it (about that much) as a store thread's.
        assertThat(cpu.get(Kind.STORE)).isGreaterThan(0.1);
    }

    private static void spinHalfASecondOfCpu() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = bean.getCurrentThreadCpuTime();
        long x = 0;
        while (bean.getCurrentThreadCpuTime() - start < 500_000_000L) {
            x += System.nanoTime() % 7;
        }
        if (x == 42) {
            System.out.println(x);
        }
    }

    @Test
    void threadNamesMapToTheirKind() {
        assertThat(JvmThreads.kind("C2 CompilerThread0")).isEqualTo(Kind.JIT);
        assertThat(JvmThreads.kind("C1 CompilerThread0")).isEqualTo(Kind.JIT);
        assertThat(JvmThreads.kind(JvmThreads.STORE_THREAD_PREFIX + "ours-1")).isEqualTo(Kind.STORE);
        assertThat(JvmThreads.kind("bench-run_ours housekeeper")).isEqualTo(Kind.STORE);
        assertThat(JvmThreads.kind("ForkJoinPool.commonPool-worker-1")).isEqualTo(Kind.STORE);
        assertThat(JvmThreads.kind("agent-memory-backfill")).isEqualTo(Kind.STORE);
        assertThat(JvmThreads.kind("agent-memory-onnx-2")).isEqualTo(Kind.MODEL);
        assertThat(JvmThreads.kind("agent-12")).isEqualTo(Kind.BENCH);
        assertThat(JvmThreads.kind("main")).isEqualTo(Kind.BENCH);
        assertThat(JvmThreads.kind("JFR Periodic Tasks")).isEqualTo(Kind.JVM);
    }

    @Test
    void aMachineShareBecomesCpuSecondsOverItsInterval() {
        // A thread busy on one of two cores for two seconds shows a load of 0.5 of the machine.
        assertThat(JvmThreads.cpuSeconds(0.5, 2, 2_000)).isCloseTo(2.0, within(1e-9));
        assertThat(JvmThreads.cpuSeconds(0.25, 4, 500)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aThreadsLoadCoversThePeriodUpToItsTickNotTheTimeSinceItsPreviousEvent() {
        // Ticks at 0, 1 s, 2 s, ... 60 s (the JIT reports at every tick); a pool thread reports at 1 s, then
        // idles and reports again at 60 s: that load covers 59 to 60 s, not 1 to 60 s.
        List<JvmThreads.Load> loads = new java.util.ArrayList<>();
        for (long t = 0; t <= 60_000; t += 1_000) {
            loads.add(new JvmThreads.Load(t + (t % 3), Kind.JIT, 0.01));
        }
        loads.add(new JvmThreads.Load(1_004, Kind.STORE, 0.5));
        loads.add(new JvmThreads.Load(60_002, Kind.STORE, 0.25));

        List<Interval> intervals = JvmThreads.intervals(loads, 2);

        Interval last = intervals.stream().filter(i -> i.kind() == Kind.STORE && i.to() == 60_002).findFirst().orElseThrow();
        assertThat(last.from()).isEqualTo(59_000 + 59_000 % 3);
        assertThat(last.cpuSeconds()).isCloseTo(0.25 * 2 * (60_002 - last.from()) / 1000.0, within(1e-9));
        Interval first = intervals.stream().filter(i -> i.kind() == Kind.STORE && i.to() == 1_004).findFirst().orElseThrow();
        assertThat(first.from()).isZero();
        // The first tick has no tick before it: it stands for the second before.
        assertThat(intervals.stream().filter(i -> i.to() == 0).findFirst().orElseThrow().from()).isEqualTo(-1_000);
    }

    @Test
    void aWindowCountsThePartOfEachIntervalInsideIt() {
        Interval jit = new Interval(1_000, 2_000, Kind.JIT, 1.0);
        assertThat(JvmThreads.overlap(jit, 1_500, 3_000)).isCloseTo(0.5, within(1e-9));
        assertThat(JvmThreads.overlap(jit, 0, 1_000)).isZero();
        assertThat(JvmThreads.overlap(jit, 0, 5_000)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void theProcessCpuBeyondTheJavaThreadsIsNative() {
        JvmThreads threads = new JvmThreads(List.of(new Interval(0, 1_000, Kind.JIT, 0.6),
                new Interval(0, 1_000, Kind.STORE, 0.2), new Interval(400, 500, Kind.GC, 0.1)),
                List.of(new Interval(0, 1_000, Kind.NATIVE, 1.5)));

        Map<Kind, Double> cpu = threads.cpu(0, 1_000);

        assertThat(cpu.get(Kind.JIT)).isCloseTo(0.6, within(1e-9));
        assertThat(cpu.get(Kind.STORE)).isCloseTo(0.2, within(1e-9));
        assertThat(cpu.get(Kind.GC)).isCloseTo(0.1, within(1e-9));
        assertThat(cpu.get(Kind.NATIVE)).isCloseTo(0.6, within(1e-9));
        assertThat(cpu.get(Kind.BENCH)).isZero();
    }

    @Test
    void theDescriptionNamesAKindAboveHalfAsDominating() {
        Map<Kind, Double> cpu = new java.util.EnumMap<>(Kind.class);
        cpu.put(Kind.JIT, 1.2);
        cpu.put(Kind.STORE, 0.06);
        cpu.put(Kind.GC, 0.001);
        assertThat(JvmThreads.describe(cpu)).isEqualTo("JIT compiler dominates (1.20 s of 1.26 s); store and pool threads 0.06 s");

        cpu.put(Kind.BENCH, 1.2);
        assertThat(JvmThreads.describe(cpu)).isEqualTo("2.46 s in all: JIT compiler 1.20 s, bench threads 1.20 s, "
                + "store and pool threads 0.06 s");
    }
}
