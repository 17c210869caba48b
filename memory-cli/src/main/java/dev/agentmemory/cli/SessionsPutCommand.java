package dev.agentmemory.cli;

import dev.agentmemory.api.ConflictException;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.WorkingMemorySession;
import dev.agentmemory.core.AgentMemorySystem;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agent-memory sessions put}: starts a working-memory session or changes one's context. */
@Command(name = "put",
        header = "Starts a working-memory session, or changes one's context.", mixinStandardHelpOptions = true,
        description = {"With --project: starts a session of that project with the context given, living --ttl.",
                "With --session and --version: changes that session's context (replaced, or merged with --merge), "
                + "only if it is still at the version you read, so that a change made meanwhile is not lost.",
                "Prints the session; its version is what the next change names."})
final class SessionsPutCommand extends MemoryCommand {

    @Option(names = "--project", paramLabel = "ID", description = "Start a session of this project.")
    @Nullable String project;

    @Option(names = "--session", paramLabel = "ID", description = "Change this session.")
    @Nullable String session;

    @Option(names = "--version", paramLabel = "N",
            description = "The version of the session you read (sessions --project P shows it); needed with --session.")
    @Nullable Long version;

    @Option(names = "--context", paramLabel = "JSON", required = true,
            description = "The context: a JSON object, @FILE or - for standard input.")
    String contextArgument;

    @Option(names = "--merge", description = "Put the context's keys into the session's, keeping the others"
            + " (default: replace the context).")
    boolean merge;

    @Option(names = "--ttl", paramLabel = "DURATION",
            description = "How long a new session lives: 30m, 1h, 7d or ISO-8601 (default: 1h).")
    @Nullable String ttl;

    @Override
    boolean writes() {
        return true;
    }

    @Override
    boolean embeds() {
        return false;
    }

    @Override
    public Integer call() {
        if ((project == null) == (session == null)) {
            throw new InvalidInputException("--project", project == null
                    ? "or --session is required: --project starts a session, --session changes one"
                    : "and --session cannot be combined: --project starts a session, --session changes one");
        }
        Map<String, Object> ctx = Json.objectArgument("--context", contextArgument, context);
        WorkingMemorySession result;
        if (project != null) {
            if (version != null) {
                throw new InvalidInputException("--version", "names the version of a session to change; a new session"
                        + " starts at version 1");
            }
            if (merge) {
                throw new InvalidInputException("--merge", "changes a session's context; a new session has none to"
                        + " merge with");
            }
            Duration life = ServerOptions.duration("--ttl", ttl == null ? "1h" : ttl);
            if (life.isNegative() || life.isZero()) {
                throw new InvalidInputException("--ttl", "'" + ttl + "' must be more than zero");
            }
            try (AgentMemorySystem memory = open()) {
                result = memory.workingMemory().createSession(project, ctx, life);
            }
        } else {
            UUID id = uuid(session);
            if (version == null) {
                throw new InvalidInputException("--version", "is required with --session: the version you read"
                        + " (sessions --project P shows it), so that a change made meanwhile is not overwritten");
            }
            if (ttl != null) {
                throw new InvalidInputException("--ttl", "sets how long a new session lives; it cannot be combined"
                        + " with --session");
            }
            try (AgentMemorySystem memory = open()) {
                result = memory.workingMemory().updateSession(id, version, ctx,
                        merge ? WorkingMemory.UpdateMode.MERGE : WorkingMemory.UpdateMode.REPLACE);
            } catch (ConflictException e) {
                // Someone changed it since it was read: the caller reads it again, nothing was written.
                throw new InvalidInputException("--version", e.getMessage() + "; nothing was changed ('sessions"
                        + " --project P' shows the version it is at)");
            }
        }
        if (json) {
            out().println(Json.writePretty(result));
        } else {
            Instant now = Instant.now();
            Table table = new Table("session", "project", "version>", "expires>", "context");
            table.row(result.sessionId(), result.projectId(), result.version(), Format.until(result.expiresAt(), now),
                    Format.pairs(result.context()));
            table.print(out(), width());
            out().println((project != null ? "started session " : "changed session ") + result.sessionId()
                    + ", now at version " + result.version());
        }
        out().flush();
        return 0;
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--session", "'" + text + "' is not a session id (a UUID)");
        }
    }
}
