package dev.agentmemory.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn with XChart without a display and saved as PNG. */
final class Charts {

    static final String LATENCY = "latency-vs-corpus-size.png";
    static final String THROUGHPUT = "throughput-vs-agents.png";
    static final String P99 = "p99-vs-agents.png";

    private Charts() {
    }

    /** @return the names of the files written */
    static List<String> write(Path dir, List<Result> results) throws IOException {
        List<String> written = new ArrayList<>();
        XYChart latency = chart("findSimilarEpisodes p95 against corpus size (limit 10)", "episodes", "p95 latency (ms)");
        latency.getStyler().setXAxisLogarithmic(true);
        latency.getStyler().setYAxisLogarithmic(true);
        boolean any = false;
        any |= series(latency, "in memory, all projects", results, "search.inmemory.", ".all", "p95_ms");
        any |= series(latency, "in memory, one project", results, "search.inmemory.", ".project", "p95_ms");
        any |= series(latency, "PostgreSQL, all projects", results, "search.postgres.", ".all", "p95_ms");
        any |= series(latency, "PostgreSQL, one project", results, "search.postgres.", ".project", "p95_ms");
        if (any) {
            BitmapEncoder.saveBitmap(latency, dir.resolve(LATENCY).toString(), BitmapEncoder.BitmapFormat.PNG);
            written.add(LATENCY);
        }

        XYChart throughput = chart("Concurrent agents: operations per second (local model)", "agents (threads)", "operations/s");
        throughput.getStyler().setXAxisLogarithmic(true);
        XYChart p99 = chart("Concurrent agents: p99 latency over all operations", "agents (threads)", "p99 (ms)");
        p99.getStyler().setXAxisLogarithmic(true);
        p99.getStyler().setYAxisLogarithmic(true);
        boolean agents = false;
        for (String[] store : new String[][] {{"inmemory", "in memory"}, {"postgres", "PostgreSQL"}}) {
            for (String[] variant : new String[][] {{"", ""}, {".nobatch", ", no batching"}}) {
                agents |= agentSeries(throughput, store[1] + variant[1], results, "agents." + store[0] + ".", variant[0],
                        "ops_per_s");
                agentSeries(p99, store[1] + variant[1], results, "agents." + store[0] + ".", variant[0], "p99_ms");
            }
        }
        if (agents) {
            BitmapEncoder.saveBitmap(throughput, dir.resolve(THROUGHPUT).toString(), BitmapEncoder.BitmapFormat.PNG);
            BitmapEncoder.saveBitmap(p99, dir.resolve(P99).toString(), BitmapEncoder.BitmapFormat.PNG);
            written.add(THROUGHPUT);
            written.add(P99);
        }
        return written;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(8);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }

    // Results with ids "<prefix><size><suffix>", such as search.postgres.100k.all.
    private static boolean series(XYChart chart, String name, List<Result> results, String prefix, String suffix, String metric) {
        Map<Double, Double> points = new TreeMap<>();
        for (Result r : results) {
            if (r.id().startsWith(prefix) && r.id().endsWith(suffix) && r.metrics().containsKey(metric)
                    && !r.id().contains(".uniform")) {
                String size = r.id().substring(prefix.length(), r.id().length() - suffix.length());
                points.put(parseSize(size), r.metrics().get(metric));
            }
        }
        return add(chart, name, points);
    }

    // Results with ids "<prefix><agents><suffix>", such as agents.postgres.64.nobatch.
    private static boolean agentSeries(XYChart chart, String name, List<Result> results, String prefix, String suffix,
                                       String metric) {
        Map<Double, Double> points = new TreeMap<>();
        for (Result r : results) {
            if (r.id().startsWith(prefix) && r.id().endsWith(suffix) && r.metrics().containsKey(metric)) {
                String agents = r.id().substring(prefix.length(), r.id().length() - suffix.length());
                if (agents.matches("[0-9]+")) {
                    points.put(Double.parseDouble(agents), r.metrics().get(metric));
                }
            }
        }
        return add(chart, name, points);
    }

    private static boolean add(XYChart chart, String name, Map<Double, Double> points) {
        if (points.isEmpty()) {
            return false;
        }
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        int i = 0;
        for (Map.Entry<Double, Double> e : points.entrySet()) {
            x[i] = e.getKey();
            y[i++] = Math.max(1e-3, e.getValue());
        }
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
        return true;
    }

    static double parseSize(String s) {
        if (s.endsWith("M")) {
            return Double.parseDouble(s.substring(0, s.length() - 1)) * 1_000_000;
        }
        if (s.endsWith("k")) {
            return Double.parseDouble(s.substring(0, s.length() - 1)) * 1_000;
        }
        return Double.parseDouble(s);
    }
}
