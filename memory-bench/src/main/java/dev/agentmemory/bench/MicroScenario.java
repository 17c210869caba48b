package dev.agentmemory.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * 0. The JMH micro benchmarks of {@code dev.agentmemory.bench.micro}, one forked JVM each, their
 * average times in the report.
 */
final class MicroScenario {

    static final String GROUP = "0. micro (JMH)";

    private MicroScenario() {
    }

    static void run(Run run) throws Exception {
        BenchConfig c = run.config;
        List<String> sizes = new ArrayList<>();
        for (int s : c.jmhSearchSizes()) {
            sizes.add(Integer.toString(s));
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.agentmemory\\.bench\\.micro\\..*")
                .forks(1)
                // Explicit, so that the forks do not inherit this JVM's flight recording.
                .jvmArgs("-Xms1g", "-Xmx1g", "-Djava.awt.headless=true")
                .warmupIterations(c.jmhWarmupIterations())
                .warmupTime(TimeValue.seconds(c.jmhIterationSeconds()))
                .measurementIterations(c.jmhIterations())
                .measurementTime(TimeValue.seconds(c.jmhIterationSeconds()))
                .shouldFailOnError(true);
        if (!sizes.isEmpty()) {
            options.param("size", sizes.toArray(new String[0]));
        }
        long started = System.currentTimeMillis();
        Collection<RunResult> results = new Runner(options.build()).run();
        for (RunResult rr : results) {
            String benchmark = rr.getParams().getBenchmark();
            String shortName = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            StringBuilder params = new StringBuilder();
            for (String key : rr.getParams().getParamsKeys()) {
                params.append(params.length() == 0 ? " (" : ", ").append(key).append(' ').append(rr.getParams().getParam(key));
            }
            if (params.length() > 0) {
                params.append(')');
            }
            double score = rr.getPrimaryResult().getScore();
            // The standard deviation over the iterations: with a handful of them JMH's 99.9%
            // interval is wider than the score and says little.
            double error = rr.getPrimaryResult().getStatistics().getStandardDeviation();
            String unit = rr.getPrimaryResult().getScoreUnit().replace("us/", "µs/");
            Result.Builder r = Result.builder("micro." + shortName + params.toString().replaceAll("[ (),]+", "."),
                    GROUP, shortName + params);
            r.started(started)
                    .headline(Double.isNaN(error) ? Fmt.num(score) + " " + unit
                            : String.format(Locale.ROOT, "%s %s (sd %s)", Fmt.num(score), unit, Fmt.num(error)))
                    .metric("score", score).metric("sd", Double.isNaN(error) ? 0 : error)
                    .notes("JMH average time, 1 fork, " + c.jmhWarmupIterations() + "×" + c.jmhIterationSeconds()
                            + " s warm-up, " + c.jmhIterations() + "×" + c.jmhIterationSeconds() + " s measured");
            run.add(r.build());
        }
        run.fact("jmh", Map.of("forks", 1, "warmup", c.jmhWarmupIterations(), "iterations", c.jmhIterations(),
                "seconds", c.jmhIterationSeconds()));
    }
}
