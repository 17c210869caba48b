package dev.agentmemory.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.core.AgentMemorySystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code agent-memory strategies add}: stores strategies written by hand or by another tool. */
@Command(name = "add",
        header = "Adds strategies given as JSON or JSON lines.", mixinStandardHelpOptions = true,
        description = {"Adds strategies: one JSON object, a JSON array or JSON lines, from a file or standard input, "
                + "with the fields 'strategies --json' and 'export' write. description is required; content holds "
                + "'conditions' (when it applies, e.g. \"backlog_tasks >= 10\", or a list that must all hold) and "
                + "whatever the agent should do; confidence (0 to 1, default 0.5), knowledgeType, knowledgeId and "
                + "the rest are optional.",
                "Every strategy is checked (its conditions parsed) and embedded before any is stored: one bad "
                + "strategy stores none. A knowledgeId that is already stored is refused, not replaced."})
final class StrategiesAddCommand extends MemoryCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", defaultValue = "-",
            description = "The strategies; - (the default) reads standard input.")
    String file;

    @Override
    boolean writes() {
        return true;
    }

    @Override
    public Integer call() {
        String source = Inputs.name(file);
        List<Json.Located> values;
        try (BufferedReader in = Inputs.open(file, context)) {
            values = Json.readValues(source, in);
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot be read: " + e.getMessage());
        }
        List<Strategy> strategies = new ArrayList<>();
        Set<UUID> given = new HashSet<>();
        for (Json.Located v : values) {
            Strategy s = Json.convert(withDefaults(v), Strategy.class, source);
            String where = Json.where(source, v.line());
            if (s.description().isBlank()) {
                throw new InvalidInputException(where, inElement(v, "description: is required: the strategy in words,"
                        + " as agents and people read it"));
            }
            if (s.knowledgeId() != null && !given.add(s.knowledgeId())) {
                throw new InvalidInputException(where, inElement(v, "knowledgeId: " + s.knowledgeId()
                        + " is given twice in the input"));
            }
            strategies.add(s);
        }
        if (strategies.isEmpty()) {
            throw new InvalidInputException(source, "holds no strategy");
        }
        List<UUID> ids = new ArrayList<>();
        try (AgentMemorySystem memory = open()) {
            for (int i = 0; i < strategies.size(); i++) {
                UUID id = strategies.get(i).knowledgeId();
                if (id != null && memory.knowledge().getStrategy(id).isPresent()) {
                    throw new InvalidInputException(Json.where(source, values.get(i).line()), inElement(values.get(i),
                            "knowledgeId: " + id + " is already stored; nothing was added (a strategy is changed by"
                                    + " the evidence of outcomes, not replaced)"));
                }
            }
            // Embedded before anything is stored: an embedder that fails stores none.
            List<float[]> vectors = memory.embedder().embedAll(strategies.stream().map(Strategy::description).toList());
            for (int i = 0; i < strategies.size(); i++) {
                Strategy s = strategies.get(i);
                if (s.knowledgeId() == null) {
                    s = s.toBuilder().knowledgeId(UUID.randomUUID()).build();
                    strategies.set(i, s);
                }
                ids.add(memory.knowledge().storeStrategy(s, vectors.get(i)));
            }
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("added", ids.size());
            out.put("ids", ids);
            out().println(Json.writePretty(out));
        } else {
            Table table = new Table("id", "confidence>", "description", "conditions");
            for (int i = 0; i < ids.size(); i++) {
                Strategy s = strategies.get(i);
                Object conditions = s.content().get(Strategy.CONDITIONS_KEY);
                table.row(ids.get(i), Format.unit(s.confidence()), s.description(),
                        conditions == null ? "(always)" : conditions instanceof List<?> l
                                ? String.join(" and ", l.stream().map(String::valueOf).toList()) : conditions);
            }
            table.print(out(), width());
            out().println("added " + ids.size() + " strategies");
        }
        out().flush();
        return 0;
    }

    /** A strategy written by hand gives what it knows; the counts of a new one start at zero. */
    private static Json.Located withDefaults(Json.Located v) {
        if (!(v.node() instanceof ObjectNode o)) {
            return v;
        }
        ObjectNode filled = o.deepCopy();
        for (String count : List.of("timesApplied", "successCount", "failureCount")) {
            if (!filled.has(count)) {
                filled.put(count, 0);
            }
        }
        if (!filled.has("confidence")) {
            filled.put("confidence", Strategy.DEFAULT_CONFIDENCE);
        }
        if (!filled.has("active")) {
            filled.put("active", true);
        }
        if (!filled.has("content")) {
            filled.putObject("content");
        }
        return new Json.Located(v.line(), filled, v.index(), v.count());
    }

    private static String inElement(Json.Located v, String problem) {
        return v.index() < 0 ? problem : dev.agentmemory.server.MemoryJson.inElement(problem, v.index(), v.count());
    }
}
