package dev.agentmemory.cli;

import dev.agentmemory.api.WorkingMemorySession;
import dev.agentmemory.core.AgentMemorySystem;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code agent-memory sessions}: a project's working-memory sessions that have not expired. */
@Command(name = "sessions",
        header = "Lists a project's active working-memory sessions.", mixinStandardHelpOptions = true,
        description = "Lists the working-memory sessions of a project that have not expired, newest first.")
final class SessionsCommand extends MemoryCommand {

    @Option(names = "--project", paramLabel = "ID", required = true, description = "The project.")
    String project;

    @Override
    boolean embeds() {
        return false;
    }

    @Override
    public Integer call() {
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
