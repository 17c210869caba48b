package dev.agentmemory.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;

/**
 * The profile of a scenario that missed its target, from the flight recording {@code bin/bench}
 * starts with {@code -XX:StartFlightRecording:name=bench,settings=profile}: the method samples
 * taken while the scenario ran, summarised as the top frames. It reads the same events as
 * {@code jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample bench.jfr}.
 */
final class Profiles {

    private final List<Sample> samples;

    private Profiles(List<Sample> samples) {
        this.samples = samples;
    }

    /**
     * One method sample: when, whether the thread ran Java or waited in native code, its top
     * frame and the topmost frame of agent-memory's code.
     */
    private record Sample(long epochMillis, boolean nativeCode, String top, @Nullable String ours) {
    }

    /**
     * @param frame a method
     * @param samples how many samples had it
     * @param share their share of the window's samples of that kind
     */
    record Frame(String frame, int samples, double share) {
    }

    /**
     * @param javaSamples samples of threads running Java code
     * @param nativeSamples samples of threads in native code (the model's runtime, socket reads)
     * @param topJava the top frames of the Java samples (self time)
     * @param topNative the top frames of the native samples
     * @param topOurs the topmost agent-memory frame of every sample (time spent in or under it)
     */
    record Summary(int javaSamples, int nativeSamples, List<Frame> topJava, List<Frame> topNative, List<Frame> topOurs) {
    }

    /**
     * Dumps the running recording named {@code bench} (or any running one) to {@code file}.
     *
     * @return the file, or null when no recording runs
     */
    static @Nullable Path dump(Path file) throws IOException {
        Recording chosen = null;
        for (Recording r : FlightRecorder.isAvailable() ? FlightRecorder.getFlightRecorder().getRecordings() : List.<Recording>of()) {
            if (r.getState() == RecordingState.RUNNING && (chosen == null || "bench".equals(r.getName()))) {
                chosen = r;
            }
        }
        if (chosen == null) {
            return null;
        }
        chosen.dump(file);
        return file;
    }

    /** Reads the method samples of a recording once. */
    static Profiles read(Path file) throws IOException {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> interned = new HashMap<>();
        try (RecordingFile f = new RecordingFile(file)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                String type = e.getEventType().getName();
                boolean nativeCode = "jdk.NativeMethodSample".equals(type);
                if (!nativeCode && !"jdk.ExecutionSample".equals(type)) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                List<RecordedFrame> frames = stack.getFrames();
                String top = interned.computeIfAbsent(name(frames.get(0)), k -> k);
                String ours = null;
                for (RecordedFrame fr : frames) {
                    RecordedMethod m = fr.getMethod();
                    if (m != null && m.getType().getName().startsWith("dev.agentmemory.")
                            && !m.getType().getName().startsWith("dev.agentmemory.bench.")) {
                        ours = interned.computeIfAbsent(name(fr), k -> k);
                        break;
                    }
                }
                samples.add(new Sample(e.getStartTime().toEpochMilli(), nativeCode, top, ours));
            }
        }
        return new Profiles(samples);
    }

    /** @return the summary of the samples taken within {@code [from, to]} (epoch ms) */
    Summary summarise(long from, long to, int top) {
        Map<String, Integer> java = new HashMap<>();
        Map<String, Integer> natives = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        int javaCount = 0;
        int nativeCount = 0;
        int oursCount = 0;
        for (Sample s : samples) {
            if (s.epochMillis() < from || s.epochMillis() > to) {
                continue;
            }
            if (s.nativeCode()) {
                nativeCount++;
                natives.merge(s.top(), 1, Integer::sum);
            } else {
                javaCount++;
                java.merge(s.top(), 1, Integer::sum);
            }
            if (s.ours() != null) {
                oursCount++;
                ours.merge(s.ours(), 1, Integer::sum);
            }
        }
        return new Summary(javaCount, nativeCount, top(java, javaCount, top), top(natives, nativeCount, top),
                top(ours, oursCount, top));
    }

    private static List<Frame> top(Map<String, Integer> counts, int total, int n) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        List<Frame> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : entries.subList(0, Math.min(n, entries.size()))) {
            out.add(new Frame(e.getKey(), e.getValue(), total == 0 ? 0 : e.getValue() / (double) total));
        }
        return out;
    }

    private static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        if (m == null) {
            return "(unknown)";
        }
        String type = m.getType().getName();
        return type + "." + m.getName();
    }

    /** @return the summaries by result id, for the results that missed a target */
    static Map<String, Summary> forMisses(Profiles profiles, List<Result> results) {
        Map<String, Summary> out = new LinkedHashMap<>();
        for (Result r : results) {
            if (!r.passed()) {
                out.put(r.id(), profiles.summarise(r.startedAtMillis(), r.endedAtMillis(), 12));
            }
        }
        return out;
    }
}
