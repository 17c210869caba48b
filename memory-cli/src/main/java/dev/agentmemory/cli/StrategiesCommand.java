package dev.agentmemory.cli;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.StrategyQuery;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agent-memory strategies}: the learned strategies and the evidence for them. */
@Command(name = "strategies",
        header = "Lists learned strategies.", mixinStandardHelpOptions = true,
        description = {"Lists learned strategies, most confident first: active ones unless --all.",
                "With --context, only the active strategies whose conditions hold in that situation, as an agent "
                + "gets them. Ids show their first 8 characters; --wide shows them whole, --json everything.",
                "'strategies add' adds strategies given as JSON."},
        subcommands = StrategiesAddCommand.class)
final class StrategiesCommand extends MemoryCommand {

    @Option(names = "--all", description = "Inactive strategies too.")
    boolean all;

    @Option(names = "--min-confidence", paramLabel = "C", defaultValue = "0",
            description = "Only strategies at least this confident, 0 to 1 (default ${DEFAULT-VALUE}).")
    double minConfidence;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only this knowledge type (e.g. strategy).")
    @Nullable String type;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--context", paramLabel = "JSON",
            description = "Only strategies that apply in this situation: JSON, @FILE or - for standard input.")
    @Nullable String situation;

    @Override
    public Integer call() {
        Options.unit("--min-confidence", minConfidence);
        Options.range("--limit", limit, 1, AgentMemoryStore.MAX_LIMIT);
        Map<String, Object> ctx = null;
        if (situation != null) {
            if (all) {
                throw new InvalidInputException("--all", "cannot be combined with --context: only active strategies apply");
            }
            ctx = Json.objectArgument("--context", situation, context);
        }
        List<Strategy> strategies;
        try (AgentMemorySystem memory = open()) {
            if (ctx != null) {
                strategies = memory.getLearnedStrategies(ctx, minConfidence).stream()
                        .filter(s -> type == null || type.equals(s.knowledgeType()))
                        .limit(limit)
                        .toList();
            } else {
                strategies = memory.knowledge().listStrategies(new StrategyQuery(!all, type, minConfidence, limit));
            }
        }
        if (json) {
            out().println(Json.writePretty(strategies));
        } else if (strategies.isEmpty()) {
            out().println("no " + (all ? "" : "active ") + "strategy" + (ctx != null ? " applies" : "")
                    + (minConfidence > 0 ? " at confidence " + Format.unit(minConfidence) + " or more" : ""));
        } else {
            Table table = new Table("id", "confidence>", "success>", "rate>", "active", "description", "conditions");
            for (Strategy s : strategies) {
                Object conditions = s.content().get(Strategy.CONDITIONS_KEY);
                table.row(id(s.knowledgeId()), Format.unit(s.confidence()),
                        s.successCount() + "/" + s.timesApplied(), Format.unit(s.successRate()),
                        s.active() ? "yes" : "no", s.description(),
                        conditions == null ? "(always)" : conditions instanceof List<?> l
                                ? String.join(" and ", l.stream().map(String::valueOf).toList()) : conditions);
            }
            table.print(out(), width());
        }
        out().flush();
        return 0;
    }
}
