package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AgentMemoryCliTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = AgentMemoryCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsServeEmbeddingsAndExitsZero() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("agent-memory").contains("serve-embeddings");
    }

    @Test
    void versionNamesTheBuiltVersion() {
        Run r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("agent-memory \\d+\\.\\d+\\.\\d+");
    }

    @Test
    void serveEmbeddingsHelpShowsItsDefaults() {
        Run r = run("serve-embeddings", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--port").contains("8088").contains("127.0.0.1").contains("onnx");
    }

    @Test
    void noCommandIsAUsageError() {
        Run r = run();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing a command");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(run("--frobnicate").exit()).isEqualTo(2);
        assertThat(run("serve-embeddings", "--prot", "1").exit()).isEqualTo(2);
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        Run r = run("serve-embeddings", "--port", "70000");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--port: 70000 is outside 0 to 65535");
        assertThat(run("serve-embeddings", "--port", "eighty").exit()).isEqualTo(2);
    }

    @Test
    void anUnknownEmbedderFailsWithTheNamesFound() {
        Run r = run("serve-embeddings", "--embedder", "nope");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("unknown embedder 'nope'; found:").contains("onnx").contains("ollama")
                .contains("service");
    }

    @Test
    void aTakenPortFailsWithExitOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run r = run("serve-embeddings", "--port", String.valueOf(taken.getLocalPort()));
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void serveEmbeddingsPrintsWhereItListensAndServesTheLocalModel() throws Exception {
        PipedInputStream pipe = new PipedInputStream();
        PrintWriter out = new PrintWriter(new PipedOutputStream(pipe), true, StandardCharsets.UTF_8);
        StringWriter err = new StringWriter();
        CommandLine cl = AgentMemoryCli.commandLine();
        cl.setOut(out);
        cl.setErr(new PrintWriter(err, true));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = thread.submit(() -> cl.execute("serve-embeddings", "--port", "0"));
            BufferedReader lines = new BufferedReader(new InputStreamReader(pipe, StandardCharsets.UTF_8));
            String line = lines.readLine();
            Matcher m = Pattern.compile("serving embeddings of (\\S+) \\((\\d+) dims\\) on (http://127\\.0\\.0\\.1:\\d+)")
                    .matcher(line == null ? "" : line);
            assertThat(m.matches()).as("line: %s; stderr: %s", line, err).isTrue();
            assertThat(m.group(2)).isEqualTo("384");

            Http.Answer health = Http.get(m.group(3) + "/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().get("model").asText()).isEqualTo(m.group(1));
            assertThat(Http.post(m.group(3) + "/embed", "{\"text\": \"hello\"}").status()).isEqualTo(200);

            thread.shutdownNow();
            assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        } finally {
            thread.shutdownNow();
        }
    }
}
