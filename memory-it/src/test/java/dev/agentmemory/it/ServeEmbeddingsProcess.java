package dev.agentmemory.it;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code agent-memory serve-embeddings} as a real, separate JVM on 127.0.0.1, started from the test
 * class path (which holds memory-cli and the local model), so that a test can kill it as an outage
 * would and start it again on the same port. Its output goes to a file under {@code target/}.
 */
final class ServeEmbeddingsProcess implements AutoCloseable {

    private final int port;
    private final Path log;
    private Process process;

    private ServeEmbeddingsProcess(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    /**
     * @param name names the log file
     * @return a process holder on a port that was free a moment ago; nothing is started yet
     */
    static ServeEmbeddingsProcess onFreePort(String name) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dir = Path.of("target", "serve-embeddings");
        Files.createDirectories(dir);
        return new ServeEmbeddingsProcess(port, dir.resolve(name + ".log"));
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the server and waits, at most two minutes, until it answers {@code /health}. */
    void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-XX:+UseSerialGC", "-cp", classPath(),
                "dev.agentmemory.cli.AgentMemoryCli", "serve-embeddings", "--host", "127.0.0.1", "--port",
                Integer.toString(port)));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("serve-embeddings exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("healthy")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        kill();
        throw new IllegalStateException("serve-embeddings did not answer /health within 2 minutes; see " + log.toAbsolutePath());
    }

    /** Kills the process at once (SIGKILL), as a crash would, and waits until it is gone. */
    void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("serve-embeddings (pid " + process.pid() + ") did not die within 30 s");
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /**
     * @return the class path of the tests: failsafe runs them from a manifest-only jar, and tells
     *     the real class path in {@code surefire.test.class.path}
     */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        // Only jars and class directories: the child needs nothing else.
        List<String> kept = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }
}
