package dev.agentmemory.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The clients the server ITs drive it with, none of them ours: the JDK's HTTP client for REST,
 * the official MCP TypeScript SDK client (installed by the build into target/mcp-client) over
 * Streamable HTTP and stdio, and python3 for the README's example.
 */
final class ServerClients {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path MCP_CLIENT = Path.of("target", "mcp-client", "mcp-call.mjs").toAbsolutePath();
    static final Path EXAMPLES = Path.of("target", "mcp-client", "examples").toAbsolutePath();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerClients() {
    }

    /** An answer: its status and body. */
    record Answer(int status, String body, Map<String, List<String>> headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    /**
     * Sends the head of a request that announces a body of {@code contentLength} bytes, and reads
     * the status line the server answers before any of the body is sent: how a body over the
     * limit is refused without racing the upload.
     */
    static int statusForDeclaredBody(String base, String path, long contentLength, String key) {
        URI uri = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength
                    + "\r\nAuthorization: Bearer " + key + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        } catch (IOException e) {
            throw new AssertionError("POST " + path + " failed: " + e, e);
        }
    }

    static Answer send(String base, String method, String path, String body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The output of a process, its exit code and what it wrote. */
    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON (exit " + exit + "): " + out + "\nstderr: " + err, e);
            }
        }
    }

    /**
     * Runs the MCP TypeScript SDK client against Streamable HTTP.
     *
     * @param mcpUrl the server's /mcp
     * @param key the key, or null
     * @param calls the tool calls, as mcp-call.mjs reads them
     */
    static Run mcpHttp(String mcpUrl, String key, List<Map<String, Object>> calls) {
        Path file = write(calls);
        return run(List.of("node", MCP_CLIENT.toString(), "http", mcpUrl, key == null ? "-" : key, file.toString()),
                Map.of(), 120);
    }

    /**
     * Runs the MCP TypeScript SDK client, which starts {@code agent-memory mcp} itself and talks
     * to it over stdio.
     *
     * @param env the server's environment (the store's settings)
     * @param cliArgs the options after {@code mcp}
     */
    static Run mcpStdio(Map<String, String> env, List<String> cliArgs, List<Map<String, Object>> calls) {
        Path file = write(calls);
        List<String> command = new ArrayList<>(List.of("node", MCP_CLIENT.toString(), "stdio", file.toString()));
        command.addAll(cliCommand("mcp"));
        command.addAll(cliArgs);
        return run(command, env, 180);
    }

    /** @return java with this test's classpath running the agent-memory command line */
    static List<String> cliCommand(String subcommand) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "dev.agentmemory.cli.AgentMemoryCli", subcommand);
    }

    static Run run(List<String> command, Map<String, String> env, int timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            Path out = Files.createTempFile("server-it", ".out");
            Path err = Files.createTempFile("server-it", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command.get(0) + " " + command.get(1) + " did not finish in " + timeoutSeconds
                        + " s; stderr: " + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Path write(List<Map<String, Object>> calls) {
        try {
            Path file = Files.createTempFile("mcp-calls", ".json");
            JSON.writeValue(file.toFile(), calls);
            return file;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, Object> call(String tool, Map<String, Object> arguments) {
        return Map.of("name", tool, "arguments", arguments);
    }
}
