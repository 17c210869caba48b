package dev.agentmemory.core.learning;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.StrategyQuery;
import dev.agentmemory.api.spi.StoreMaintenance;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Consolidator} over the stored episodes and keeps its rules in the knowledge store,
 * as strategies with {@code createdBy = "consolidation"}.
 *
 * <p>A rule's strategy id is a name-based UUID of its scope (the project, or every project), its
 * conditions and its decision, so a second run over the same or more data finds the strategy the
 * first stored and refreshes it: evidence, confidence and numbers replaced, its applications and
 * creation time kept. There are never two strategies for one rule. A strategy this scope learned
 * before and the evidence no longer supports is deactivated (not deleted: its history stays).
 */
public final class Consolidation {

    /** The {@code createdBy} of every strategy consolidation stores. */
    public static final String CREATED_BY = "consolidation";
    /** The content key of the scope a strategy was learned in: a project id, or {@value #EVERY_PROJECT}. */
    public static final String SCOPE_KEY = "scope";
    /** The scope of a consolidation over every project. */
    public static final String EVERY_PROJECT = "*";
    /** The content key of the recommendation. */
    public static final String RECOMMENDATION_KEY = "recommendation";

    private static final Logger log = LoggerFactory.getLogger(Consolidation.class);

    private final AgentMemoryStore episodes;
    private final KnowledgeStore knowledge;
    private final @Nullable StoreMaintenance maintenance;
    private final Embedder embedder;
    private final LearningSettings settings;

    /**
     * @param episodes where the episodes are read
     * @param knowledge where the strategies are kept
     * @param maintenance the backend's whole-store reads, needed to consolidate every project; may be null
     * @param embedder embeds the strategies' descriptions for ranking; a failure stores them without a vector
     * @param settings how cautiously to learn
     */
    public Consolidation(AgentMemoryStore episodes, KnowledgeStore knowledge, @Nullable StoreMaintenance maintenance,
                         Embedder embedder, LearningSettings settings) {
        this.episodes = Objects.requireNonNull(episodes, "episodes");
        this.knowledge = Objects.requireNonNull(knowledge, "knowledge");
        this.maintenance = maintenance;
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * What a run did.
     *
     * @param result what the consolidator learned and tried
     * @param strategies the active learned strategies of the scope, most confident first
     * @param created how many strategies were new
     * @param refreshed how many were stored before and refreshed
     * @param deactivated how many the evidence no longer supports
     */
    public record Run(Consolidator.Result result, List<Strategy> strategies, int created, int refreshed,
                      int deactivated) {
    }

    /**
     * @param projectId one project, or null for every project
     * @return what the run did
     */
    public Run run(@Nullable String projectId) {
        String scope = projectId == null ? EVERY_PROJECT : projectId;
        List<Episode> data = load(projectId);
        Consolidator.Result result = new Consolidator(settings).learn(data);

        Map<UUID, Strategy> before = new HashMap<>();
        for (Strategy s : learnedIn(scope)) {
            before.put(s.knowledgeId(), s);
        }
        Instant now = Instant.now();
        int created = 0;
        int refreshed = 0;
        List<UUID> current = new ArrayList<>();
        for (Consolidator.Rule rule : result.rules()) {
            UUID id = idOf(scope, rule);
            current.add(id);
            Strategy old = before.get(id);
            String description = describe(rule);
            Strategy.Builder b = old != null ? old.toBuilder()
                    : Strategy.builder(description).knowledgeId(id).createdBy(CREATED_BY);
            Strategy s = b.description(description)
                    .content(content(scope, rule))
                    .confidence(rule.confidence())
                    .supportingEpisodes(rule.supporting())
                    .contradictingEpisodes(rule.contradicting())
                    .lastValidated(now)
                    .active(true)
                    .build();
            knowledge.storeStrategy(s, vector(description));
            if (old == null) {
                created++;
            } else {
                refreshed++;
            }
        }
        int deactivated = 0;
        for (Strategy s : before.values()) {
            UUID id = s.knowledgeId();
            if (s.active() && id != null && !current.contains(id) && knowledge.deactivateStrategy(id)) {
                deactivated++;
            }
        }
        List<Strategy> active = new ArrayList<>();
        for (Strategy s : learnedIn(scope)) {
            if (s.active()) {
                active.add(s);
            }
        }
        active.sort(Comparator.comparingDouble(Strategy::confidence).reversed()
                .thenComparing(Strategy::description));
        log.info("consolidation of {}: {} episodes, {} conditions, {} tests, {} rules ({} new, {} refreshed, {} deactivated)",
                scope, result.episodes(), result.conditionsTried(), result.tests(), result.rules().size(), created,
                refreshed, deactivated);
        return new Run(result, List.copyOf(active), created, refreshed, deactivated);
    }

    /**
     * @param scope a project id or {@value #EVERY_PROJECT}
     * @return the strategies consolidation stored for that scope, active or not
     */
    public List<Strategy> learnedIn(String scope) {
        List<Strategy> out = new ArrayList<>();
        for (Strategy s : knowledge.listStrategies(new StrategyQuery(false, null, 0, AgentMemoryStore.MAX_LIMIT))) {
            if (CREATED_BY.equals(s.createdBy()) && scope.equals(s.content().get(SCOPE_KEY))) {
                out.add(s);
            }
        }
        return out;
    }

    // The newest episodes with an outcome: of one project, or of each project in turn.
    private List<Episode> load(@Nullable String projectId) {
        int cap = Math.min(settings.maxEpisodes(), AgentMemoryStore.MAX_LIMIT);
        if (projectId != null) {
            return episodes.getEpisodesByProject(projectId, cap, 0.0);
        }
        if (maintenance == null) {
            throw new ConfigurationException("consolidating every project needs the store's project list, which this "
                    + "backend does not offer; consolidate one project at a time");
        }
        List<Episode> all = new ArrayList<>();
        for (String project : maintenance.countEpisodesByProject().keySet()) {
            all.addAll(episodes.getEpisodesByProject(project, cap, 0.0));
        }
        if (all.size() > settings.maxEpisodes()) {
            all.sort(Comparator.comparing(Episode::timestamp).reversed().thenComparing(Episode::episodeId));
            all = new ArrayList<>(all.subList(0, settings.maxEpisodes()));
        }
        return all;
    }

    private float @Nullable [] vector(String description) {
        try {
            return embedder.embed(description);
        } catch (EmbeddingException e) {
            log.warn("embedding a learned strategy failed, storing it without a vector: {}", e.getMessage());
            return null;
        }
    }

    /**
     * @param scope the scope
     * @param rule the rule
     * @return the id its strategy has in every run
     */
    public static UUID idOf(String scope, Consolidator.Rule rule) {
        return UUID.nameUUIDFromBytes(("agent-memory/consolidation\n" + scope + "\n" + rule.identity())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> content(String scope, Consolidator.Rule rule) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put(Strategy.CONDITIONS_KEY, rule.conditions());
        content.put(RECOMMENDATION_KEY, rule.recommendation());
        content.put(SCOPE_KEY, scope);
        Map<String, Object> learned = new LinkedHashMap<>();
        learned.put("support", rule.support());
        learned.put("alternatives", rule.alternatives());
        learned.put("quality", rule.quality());
        learned.put("alternative_quality", rule.alternativeQuality());
        learned.put("z", rule.z());
        if (rule.range() != null) {
            learned.put("range", List.of(rule.range()[0], rule.range()[1]));
        }
        content.put("learned", learned);
        return content;
    }

    /**
     * @param rule a rule
     * @return the rule in words, without its numbers (they change from run to run, the words do not)
     */
    public static String describe(Consolidator.Rule rule) {
        String decision = rule.range() != null
                ? String.format(Locale.ROOT, "%s between %s and %s (about %s)", rule.field(),
                Fields.number(rule.range()[0]), Fields.number(rule.range()[1]), rule.value())
                : rule.field() + " = " + rule.value();
        StringBuilder with = new StringBuilder();
        for (Map.Entry<String, Object> w : rule.with().entrySet()) {
            with.append(w.getKey()).append(" = ").append(w.getValue()).append(" and ");
        }
        decision = with + decision;
        return (rule.conditions().isEmpty() ? "Always" : "When " + rule.conditionText())
                + ": take " + decision + "; it did better than the alternatives";
    }
}
