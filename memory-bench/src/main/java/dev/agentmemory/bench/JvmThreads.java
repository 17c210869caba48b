package dev.agentmemory.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The JVM's CPU seconds by kind of thread over a window, from the flight recording that
 * {@code bin/bench} makes: where a missed row's JVM time went (for the store-only row, whether our
 * threads' own work or the JIT compiler's and the collector's).
 *
 * <p>It reads three events: {@code jdk.ThreadCPULoad}, every Java thread's share of the machine
 * since its previous event (the JIT compiler's threads are Java threads; {@code bin/bench} sets
 * the period to one second, the profile's is ten); {@code jdk.GCCPUTime}, the collector's worker
 * threads' CPU in each collection; and {@code jdk.CPULoad}, the whole process's share. What the
 * process used beyond the Java threads and the collections is native threads: the model's runtime
 * (ONNX Runtime's own threads) and the collector's concurrent threads.
 */
final class JvmThreads {

    /** The threads that call a store in the side-by-side load are named so ({@code store-ours-1}). */
    static final String STORE_THREAD_PREFIX = "store-";

    /** What a thread does, by its name. */
    enum Kind {
        JIT("JIT compiler"),
        GC("garbage collector (pauses)"),
        MODEL("the model's batch threads (agent-memory-onnx)"),
        STORE("store and pool threads"),
        BENCH("bench threads"),
        JVM("JVM service threads (JFR, reference handling)"),
        NATIVE("native threads (the model's runtime, concurrent GC)");

        final String words;

        Kind(String words) {
            this.words = words;
        }
    }

    /**
     * CPU seconds that one thread kind used in {@code (from, to]} (epoch ms), spread evenly over
     * that interval.
     */
    record Interval(long from, long to, Kind kind, double cpuSeconds) {
    }

    private final List<Interval> intervals;
    // The process's CPU, by the same intervals, kind ignored.
    private final List<Interval> process;

    JvmThreads(List<Interval> intervals, List<Interval> process) {
        this.intervals = List.copyOf(intervals);
        this.process = List.copyOf(process);
    }

    /** @return the kind of the thread of that name */
    static Kind kind(String name) {
        if (name.contains("CompilerThread") || name.startsWith("C1 ") || name.startsWith("C2 ")) {
            return Kind.JIT;
        }
        if (name.startsWith("agent-memory-onnx")) {
            return Kind.MODEL;
        }
        if (name.startsWith(STORE_THREAD_PREFIX) || name.contains("housekeeper") || name.contains("connection adder")
                || name.contains("connection closer") || name.startsWith("HikariPool") || name.startsWith("PostgreSQL")
                || name.startsWith("agent-memory") || name.startsWith("ForkJoinPool")) {
            return Kind.STORE;
        }
        if (name.startsWith("JFR ") || name.equals("Reference Handler") || name.equals("Finalizer")
                || name.equals("Signal Dispatcher") || name.equals("Common-Cleaner") || name.equals("Service Thread")
                || name.equals("Notification Thread") || name.equals("Sweeper thread")
                || name.equals("Monitor Deflation Thread") || name.equals("Attach Listener")
                || name.startsWith("process reaper")) {
            return Kind.JVM;
        }
        return Kind.BENCH;
    }

    /** One {@code jdk.ThreadCPULoad} event: a thread's share of the machine up to {@code at}. */
    record Load(long at, Kind kind, double load) {
    }

    /** Reads the CPU events of a recording once. */
    static JvmThreads read(Path jfr) throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        List<Load> loads = new ArrayList<>();
        List<Interval> intervals = new ArrayList<>();
        List<Interval> process = new ArrayList<>();
        long lastProcess = Long.MIN_VALUE;
        try (RecordingFile f = new RecordingFile(jfr)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                String type = e.getEventType().getName();
                long at = e.getStartTime().toEpochMilli();
                switch (type) {
                    case "jdk.ThreadCPULoad" -> {
                        RecordedThread t = e.getThread();
                        if (t != null) {
                            String name = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
                            loads.add(new Load(at, kind(name == null ? "" : name),
                                    e.getFloat("user") + e.getFloat("system")));
                        }
                    }
                    case "jdk.GCCPUTime" -> {
                        double cpu = (e.getDuration("userTime").toNanos() + e.getDuration("systemTime").toNanos()) / 1e9;
                        long real = Math.max(1, e.getDuration("realTime").toMillis());
                        intervals.add(new Interval(at - real, at, Kind.GC, cpu));
                    }
                    case "jdk.CPULoad" -> {
                        // One event a period, over the time since the previous one.
                        long from = lastProcess != Long.MIN_VALUE && lastProcess < at ? lastProcess : at - 1_000;
                        lastProcess = Math.max(lastProcess, at);
                        double load = e.getFloat("jvmUser") + e.getFloat("jvmSystem");
                        process.add(new Interval(from, at, Kind.NATIVE, cpuSeconds(load, cores, at - from)));
                    }
                    default -> {
                    }
                }
            }
        }
        intervals.addAll(intervals(loads, cores));
        return new JvmThreads(intervals, process);
    }

    /**
     * The thread loads as CPU seconds over the period each covers. The recorder checks every thread
     * at each period's tick and reports a load over the time since the previous tick, but only for
     * a thread that used a millisecond or more since its last event: so an event covers the period
     * up to its tick, not the time since the thread's previous event (an idle thread's work would
     * otherwise be spread back over its idle minutes). The events of one tick carry times a few
     * milliseconds apart; times within 100 ms of a tick's first are that tick.
     */
    static List<Interval> intervals(List<Load> loads, int cores) {
        List<Load> sorted = new ArrayList<>(loads);
        sorted.sort(java.util.Comparator.comparingLong(Load::at));
        List<Long> ticks = new ArrayList<>();
        for (Load l : sorted) {
            if (ticks.isEmpty() || l.at() - ticks.get(ticks.size() - 1) > 100) {
                ticks.add(l.at());
            }
        }
        List<Interval> out = new ArrayList<>(sorted.size());
        int tick = 0;
        for (Load l : sorted) {
            while (tick + 1 < ticks.size() && ticks.get(tick + 1) <= l.at()) {
                tick++;
            }
            long from = tick == 0 ? ticks.get(0) - 1_000 : ticks.get(tick - 1);
            out.add(new Interval(from, l.at(), l.kind(), cpuSeconds(l.load(), cores, l.at() - from)));
        }
        return out;
    }

    /**
     * @param load a share of the whole machine, 0 to 1 (as {@code jdk.ThreadCPULoad} and
     *     {@code jdk.CPULoad} give it: CPU time over wall time times the cores)
     * @param cores the machine's cores
     * @param millis the wall time it covers
     * @return the CPU seconds that share stands for
     */
    static double cpuSeconds(double load, int cores, long millis) {
        return load * cores * millis / 1000.0;
    }

    /**
     * @return the CPU seconds of every kind within {@code [from, to]} (epoch ms), each interval
     *     counted by the part of it inside the window; {@link Kind#NATIVE} is the process's CPU beyond
     *     the other kinds (never below zero)
     */
    Map<Kind, Double> cpu(long from, long to) {
        Map<Kind, Double> out = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            out.put(k, 0.0);
        }
        double threads = 0;
        for (Interval i : intervals) {
            double part = overlap(i, from, to);
            if (part > 0) {
                out.merge(i.kind(), part, Double::sum);
                threads += part;
            }
        }
        double total = 0;
        for (Interval i : process) {
            total += overlap(i, from, to);
        }
        out.put(Kind.NATIVE, Math.max(0, total - threads));
        return out;
    }

    /** @return the CPU seconds of an interval that fall within {@code [from, to]} */
    static double overlap(Interval i, long from, long to) {
        long start = Math.max(i.from(), from);
        long end = Math.min(i.to(), to);
        if (end <= start) {
            return 0;
        }
        long length = i.to() - i.from();
        return length <= 0 ? i.cpuSeconds() : i.cpuSeconds() * (end - start) / length;
    }

    /**
     * @return the kinds in words, largest first, those under 0.005 s left out, with the largest
     *     named as dominating when it is more than half of the total: "JIT compiler dominates (1.20 s
     *     of 1.72 s); store and pool threads 0.06 s, ..."
     */
    static String describe(Map<Kind, Double> cpu) {
        List<Map.Entry<Kind, Double>> entries = new ArrayList<>(cpu.entrySet());
        entries.removeIf(e -> e.getValue() < 0.005);
        entries.sort(Map.Entry.<Kind, Double>comparingByValue().reversed());
        if (entries.isEmpty()) {
            return "no CPU recorded in the window";
        }
        double total = 0;
        for (Map.Entry<Kind, Double> e : entries) {
            total += e.getValue();
        }
        List<String> parts = new ArrayList<>();
        int first = 0;
        String head = "";
        if (entries.get(0).getValue() > total / 2) {
            head = String.format(Locale.ROOT, "%s dominates (%.2f s of %.2f s)", entries.get(0).getKey().words,
                    entries.get(0).getValue(), total);
            first = 1;
        }
        for (Map.Entry<Kind, Double> e : entries.subList(first, entries.size())) {
            parts.add(String.format(Locale.ROOT, "%s %.2f s", e.getKey().words, e.getValue()));
        }
        if (head.isEmpty()) {
            return String.format(Locale.ROOT, "%.2f s in all: ", total) + String.join(", ", parts);
        }
        return parts.isEmpty() ? head : head + "; " + String.join(", ", parts);
    }
}
