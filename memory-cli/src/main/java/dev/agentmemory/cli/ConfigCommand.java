package dev.agentmemory.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code agent-memory config}: the configuration in effect and where each setting came from. */
@Command(name = "config",
        header = "Prints the configuration in effect, secrets masked.", mixinStandardHelpOptions = true,
        description = {"Prints the configuration in effect: each setting from its flag, else the environment, else "
                + "the default, and which it was. The password is shown as ****, URLs with their secrets masked.",
                "Opens nothing."})
final class ConfigCommand extends MemoryCommand {

    @Override
    public Integer call() {
        var settings = memoryOptions.effective(context.env());
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (MemoryOptions.Setting s : settings) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("value", s.value());
                entry.put("source", s.source());
                out.put(s.name(), entry);
            }
            out().println(Json.writePretty(out));
        } else {
            Table table = new Table("setting", "value", "from");
            for (MemoryOptions.Setting s : settings) {
                table.row(s.name(), s.value() == null ? "(not set)" : s.value(), s.source() == null ? "" : s.source());
            }
            table.print(out(), width());
        }
        out().flush();
        return 0;
    }
}
