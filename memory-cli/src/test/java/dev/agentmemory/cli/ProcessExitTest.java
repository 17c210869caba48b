package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as its own process, with its own logging: a failure leaves exactly one line on
 * standard error, whatever the libraries it loaded would log.
 */
class ProcessExitTest {

    @TempDir
    Path dir;

    private record Result(int exit, String out, List<String> err) {
    }

    private Result agentMemory(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // as bin/agent-memory starts it: without this, Java 24+ warns of JNA's native access
                "--enable-native-access=ALL-UNNAMED",
                // the logging configuration of the distribution, not the tests'
                "-Dlogback.configurationFile=" + AgentMemoryCli.class.getResource("/logback.xml"),
                "-cp", System.getProperty("java.class.path"),
                AgentMemoryCli.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readAllLines(err, StandardCharsets.UTF_8));
    }

    @Test
    void vectorsOfTheWrongSizeAfterTheModelLoadedLeaveOneLine() throws Exception {
        Path file = dir.resolve("small.jsonl");
        Files.writeString(file, "{\"type\":\"episode\",\"episode\":{\"projectId\":\"acme\",\"perception\":{},"
                + "\"reasoning\":{},\"action\":{}},\"embedding\":[0.1,0.2,0.3],\"model\":\"tiny\"}\n");
        Result r = agentMemory("import", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).singleElement().asString()
                .startsWith("agent-memory import: " + file + " line 1: the embedding has 3 dimensions");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnknownFlagLeavesOneLine() throws Exception {
        Result r = agentMemory("stats", "--verbose");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).singleElement().asString().contains("Unknown option: '--verbose'");
    }

    @Test
    void aSuccessfulCommandLeavesStandardErrorEmpty() throws Exception {
        Result r = agentMemory("stats");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("episodes").contains("0 pending embedding");
    }
}
