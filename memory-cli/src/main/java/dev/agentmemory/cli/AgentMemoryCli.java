package dev.agentmemory.cli;

import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code agent-memory} command. Exit codes: 0 done; 2 bad usage or bad input (an unknown
 * option, a missing file, malformed JSON, an invalid value, an id that does not exist), with one
 * line on standard error naming the problem; 1 any other failure.
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
                ConfigCommand.class,
                InitCommand.class,
                RememberCommand.class,
                RecallCommand.class,
                OutcomeCommand.class,
                StrategiesCommand.class,
                ConsolidateCommand.class,
                AdviseCommand.class,
                SessionsCommand.class,
                StatsCommand.class,
                ExportCommand.class,
                ImportCommand.class,
                ReembedCommand.class,
                BackfillCommand.class,
                DemoCommand.class,
                ServeEmbeddingsCommand.class,
                ServeCommand.class,
                McpCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class AgentMemoryCli implements Runnable {

    /** Exit code of a failure that is not a usage error. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of bad usage or bad input. */
    public static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    /** Called by picocli when no subcommand was given: that is a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command; see the list below.");
    }

    /**
     * @return the command line on the process's environment and standard input, with the handlers
     *     that turn a failure into one line on stderr and its exit code
     */
    public static CommandLine commandLine() {
        return commandLine(CliContext.ofProcess());
    }

    /**
     * @param env the environment to read the configuration from, instead of the process's
     * @return the command line, for running commands in process (an application or a test that
     *     sets AGENT_MEMORY_DB_PASSWORD without changing its own environment)
     */
    public static CommandLine commandLine(Map<String, String> env) {
        return commandLine(new CliContext(env, System.in, null));
    }

    static CommandLine commandLine(CliContext context) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine cl = new CommandLine(new AgentMemoryCli(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = defaults.create(type);
                if (made instanceof MemoryCommand command) {
                    command.context = context;
                }
                return made;
            }
        });
        // "@FILE" is how a JSON value is read from a file, not a picocli argument file.
        cl.setExpandAtFiles(false);
        cl.setExecutionStrategy(parseResult -> {
            int exit = new CommandLine.RunLast().execute(parseResult);
            List<CommandLine> ran = parseResult.asCommandLineList();
            if (exit == 0 && ran.get(ran.size() - 1).getCommand() instanceof MemoryCommand command) {
                command.noteWhatIsLost();
            }
            return exit;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine where = e.getCommandLine();
            String unknown = e instanceof CommandLine.UnmatchedArgumentException u ? unknownCommand(where, u) : null;
            String message = unknown != null ? unknown : String.valueOf(e.getMessage()).replaceAll("\\s*[\\r\\n]+\\s*", " ");
            where.getErr().println(prefix(where) + message
                    + " (see '" + where.getCommandSpec().qualifiedName() + " --help')");
            where.getErr().flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            int exit;
            if (e instanceof InvalidInputException || e instanceof NotFoundException) {
                commandLine.getErr().println(prefix(commandLine) + e.getMessage());
                exit = EXIT_USAGE;
            } else if (e instanceof MemoryException) {
                commandLine.getErr().println(prefix(commandLine) + e.getMessage());
                exit = EXIT_FAILURE;
            } else {
                commandLine.getErr().println(prefix(commandLine) + "unexpected failure");
                e.printStackTrace(commandLine.getErr());
                exit = EXIT_FAILURE;
            }
            commandLine.getErr().flush();
            return exit;
        });
        return cl;
    }

    /**
     * @return "unknown command 'recal'; did you mean 'recall'?" when the first unmatched argument
     *     stands where a subcommand belongs, else null
     */
    static @Nullable String unknownCommand(CommandLine where, CommandLine.UnmatchedArgumentException e) {
        List<String> unmatched = e.getUnmatched();
        // A command with subcommands and no positional parameters: a word there names a subcommand.
        if (where.getSubcommands().isEmpty() || !where.getCommandSpec().positionalParameters().isEmpty()
                || unmatched.isEmpty() || unmatched.get(0).startsWith("-")) {
            return null;
        }
        String typed = unmatched.get(0);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : where.getSubcommands().keySet()) {
            int d = name.startsWith(typed) ? 0 : distance(typed.toLowerCase(Locale.ROOT), name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        // Near enough to be a slip of the fingers: a prefix, or a few letters off for its length.
        boolean near = best != null && bestDistance <= Math.max(1, Math.min(3, typed.length() / 3));
        return "unknown command '" + typed + "'" + (near ? "; did you mean '" + best + "'?" : "");
    }

    /** Levenshtein distance: letters inserted, deleted or replaced. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    private static String prefix(CommandLine commandLine) {
        return commandLine.getCommandSpec().qualifiedName() + ": ";
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
