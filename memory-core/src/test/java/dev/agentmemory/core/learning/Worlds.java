package dev.agentmemory.core.learning;

import dev.agentmemory.api.Episode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Generated episodes of a small support desk with hidden rules, for the learning tests: escalating
 * is right when the load is at least 70 or the customer's tier is gold (nested under
 * {@code customer.tier}); otherwise handling it in place is. Outcome qualities carry noise.
 */
final class Worlds {

    private Worlds() {
    }

    static Map<String, Object> situation(Random r) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("load", r.nextInt(101));
        p.put("customer", Map.of("tier", List.of("gold", "silver", "bronze").get(r.nextInt(3)),
                "region", r.nextBoolean() ? "eu" : "us"));
        p.put("weekend", r.nextBoolean());
        p.put("queue", r.nextInt(30));
        return p;
    }

    @SuppressWarnings("unchecked")
    static boolean escalateIsRight(Map<String, Object> p) {
        return ((Integer) p.get("load")) >= 70 || "gold".equals(((Map<String, Object>) p.get("customer")).get("tier"));
    }

    /** @return the episodes of an agent that decides at random, with noisy outcomes of the hidden rules */
    static List<Episode> desk(long seed, int n, double noise) {
        Random r = new Random(seed);
        List<Episode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> p = situation(r);
            boolean escalate = r.nextBoolean();
            double q = (escalate == escalateIsRight(p) ? 0.8 : 0.3) + noise * r.nextGaussian();
            out.add(episode(seed, i, "desk", p, Map.of("escalate", escalate, "note", "case " + i), clamp(q)));
        }
        return out;
    }

    /** @return episodes whose outcomes have nothing to do with the situation or the decision */
    static List<Episode> noise(long seed, int n, int features) {
        Random r = new Random(seed);
        List<Episode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            for (int f = 0; f < features; f++) {
                p.put("f" + f, r.nextBoolean());
            }
            p.put("level", r.nextInt(100));
            p.put("kind", List.of("a", "b", "c", "d").get(r.nextInt(4)));
            Map<String, Object> a = Map.of("choice", List.of("x", "y", "z").get(r.nextInt(3)), "amount", r.nextInt(50));
            out.add(episode(seed, i, "noise", p, a, r.nextDouble()));
        }
        return out;
    }

    static Episode episode(long seed, int i, String project, Map<String, Object> perception, Map<String, Object> action,
                           double quality) {
        return Episode.builder(project)
                .episodeId(UUID.nameUUIDFromBytes((project + seed + "/" + i).getBytes(StandardCharsets.UTF_8)))
                .timestamp(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * i))
                .perception(perception)
                .reasoning(Map.of())
                .action(action)
                .outcome(Map.of("ok", quality >= 0.5))
                .outcomeQuality(quality)
                .build();
    }

    static double clamp(double q) {
        return Math.max(0, Math.min(1, Math.round(q * 1000) / 1000.0));
    }
}
