package dev.agentmemory.bench;

import dev.agentmemory.api.Episode;
import dev.agentmemory.core.EpisodeEmbedder;
import dev.agentmemory.embedding.onnx.OnnxEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Run in a child JVM by {@link MemoryScenario}: prints its resident memory ({@code VmRSS}) and
 * its peak ({@code VmHWM}) from {@code /proc/self/status}, either bare ({@code baseline}) or after
 * loading the local model and embedding texts with it one by one and in batches ({@code model}).
 */
public final class RssProbe {

    private RssProbe() {
    }

    public static void main(String[] args) throws IOException {
        String mode = args.length > 0 ? args[0] : "baseline";
        if ("model".equals(mode)) {
            OnnxEmbedder model = new OnnxEmbedder();
            EpisodeEmbedder renderer = new EpisodeEmbedder(model);
            List<Episode> episodes = Workload.episodes(256, 10, new Random(60));
            for (int i = 0; i < 100; i++) {
                renderer.embedEpisode(episodes.get(i));
            }
            renderer.embedEpisodes(episodes);
        }
        System.gc();
        System.out.println("rss_kb=" + status("VmRSS") + " hwm_kb=" + status("VmHWM"));
    }

    private static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
