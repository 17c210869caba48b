package dev.agentmemory.cli;

import dev.agentmemory.api.WorkingMemorySession;
import dev.agentmemory.core.AgentMemorySystem;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agent-memory sessions}: a project's working-memory sessions that have not expired. */
@Command(name = "sessions",
        header = "Lists a project's active working-memory sessions.", mixinStandardHelpOptions = true,
        description = {"Lists the working-memory sessions of a project that have not expired, newest first.",
                "'sessions put' starts a session or changes one's context."},
        subcommands = SessionsPutCommand.class)
final class SessionsCommand extends MemoryCommand {

    // Required, but checked here: picocli would also ask for it before 'sessions put'.
    @Option(names = "--project", paramLabel = "ID", description = "The project (required).")
    String project;

    @Override
    boolean embeds() {
        return false;
    }

    @Override
    public Integer call() {
        if (project == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--project=ID'");
        }
        List<WorkingMemorySession> sessions;
        try (AgentMemorySystem memory = open()) {
            sessions = memory.workingMemory().listActiveSessions(project);
        }
        if (json) {
            out().println(Json.writePretty(sessions));
        } else if (sessions.isEmpty()) {
            out().println("no active session in project " + project);
        } else {
            Instant now = Instant.now();
            Table table = new Table("session", "created>", "updated>", "expires>", "version>", "context");
            for (WorkingMemorySession s : sessions) {
                table.row(s.sessionId(), Format.age(s.createdAt(), now), Format.age(s.updatedAt(), now),
                        Format.until(s.expiresAt(), now), s.version(), Format.pairs(s.context()));
            }
            table.print(out(), width());
        }
        out().flush();
        return 0;
    }
}
