package dev.agentmemory.cli;

import dev.agentmemory.api.MemoryException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code agent-memory} command. Exit codes: 0 done, 2 bad usage, 1 any other failure.
 *
 * <p>Run it with {@code bin/agent-memory} from the project root, which builds what it needs on
 * first use. Subcommands are added to the {@code subcommands} list below.
 */
@Command(
        name = "agent-memory",
        mixinStandardHelpOptions = true,
        versionProvider = AgentMemoryCli.Version.class,
        description = "Memory for decision-making agents: episodes, similarity recall, learned strategies.",
        subcommands = {
                DemoCommand.class,
                ServeEmbeddingsCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class AgentMemoryCli implements Runnable {

    /** Exit code of a failure that is not a usage error. */
    public static final int EXIT_FAILURE = 1;

    @Spec
    private CommandSpec spec;

    /** Called by picocli when no subcommand was given: that is a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command; see the list below.");
    }

    /**
     * @return the command line, with the exception handler that turns a failure into one line on
     *     stderr and exit code 1
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new AgentMemoryCli());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof MemoryException) {
                commandLine.getErr().println("agent-memory " + commandLine.getCommandName() + ": " + e.getMessage());
            } else {
                commandLine.getErr().println("agent-memory " + commandLine.getCommandName() + ": unexpected failure");
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return EXIT_FAILURE;
        });
        return cl;
    }

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Reads the version Maven wrote into {@code version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = AgentMemoryCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"agent-memory " + p.getProperty("version", "(unknown version)"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
