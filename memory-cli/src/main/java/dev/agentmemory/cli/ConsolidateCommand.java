package dev.agentmemory.cli;

import dev.agentmemory.api.Strategy;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.learning.Consolidation;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agent-memory consolidate}: learns strategies from the outcomes stored. */
@Command(name = "consolidate",
        header = "Learns strategies from the episodes' outcomes.", mixinStandardHelpOptions = true,
        description = {"Learns, without a model call, under which conditions on the situation a decision did "
                + "clearly better than the alternatives, and keeps each such rule as a strategy "
                + "(createdBy consolidation). A second run refreshes what the first learned and deactivates what "
                + "the evidence no longer supports.",
                "Prints the active learned strategies: conditions, recommendation, support and confidence "
                + "(a lower bound)."})
final class ConsolidateCommand extends MemoryCommand {

    @Option(names = "--project", paramLabel = "ID", description = "Only this project's episodes (default: every project).")
    @Nullable String project;

    @Override
    boolean writes() {
        return true;
    }

    @Override
    public Integer call() {
        Consolidation.Run run;
        try (AgentMemorySystem memory = open()) {
            run = memory.consolidation(project);
        }
        if (json) {
            out().println(Json.writePretty(run.strategies()));
            out().flush();
            return 0;
        }
        out().printf(Locale.ROOT, "consolidated %s: %d episodes with an outcome, %d conditions tried, %d tests; "
                        + "%d strategies (%d new, %d refreshed), %d deactivated%n",
                project == null ? "every project" : "project " + project, run.result().episodes(),
                run.result().conditionsTried(), run.result().tests(), run.strategies().size(), run.created(),
                run.refreshed(), run.deactivated());
        if (run.strategies().isEmpty()) {
            out().println("no decision did clearly better than its alternatives yet");
        } else {
            Table table = new Table("id", "conditions", "recommendation", "support>", "quality>", "others>",
                    "confidence>");
            for (Strategy s : run.strategies()) {
                Object conditions = s.content().get(Strategy.CONDITIONS_KEY);
                Map<?, ?> learned = s.content().get("learned") instanceof Map<?, ?> m ? m : Map.of();
                table.row(id(s.knowledgeId()),
                        conditions instanceof List<?> l ? String.join(" and ", l.stream().map(String::valueOf).toList())
                                : conditions == null ? "(always)" : conditions,
                        Format.value(s.content().get(Consolidation.RECOMMENDATION_KEY)),
                        Format.orDash(learned.get("support")), number(learned.get("quality")),
                        number(learned.get("alternative_quality")), Format.unit(s.confidence()));
            }
            table.print(out(), width());
        }
        out().flush();
        return 0;
    }

    private static String number(@Nullable Object v) {
        return v instanceof Number n ? Format.unit(n.doubleValue()) : "-";
    }
}
