package dev.agentmemory.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentmemory.server.ApiKeys.Access;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The MCP tools of the contract, over the same {@link MemoryApi} as the REST routes: each answers
 * with its JSON as text content and as structured content; a refusal is a result with
 * {@code isError} and the REST error object ({@code {"error": ..., "field": ...}}).
 */
public final class McpTools {

    /** The transport-context key that holds the request's {@link Access}. */
    static final String ACCESS = "agentmemory.access";

    /** The JSON mapper of the MCP messages: the SDK's own (its records say what they ignore). */
    public static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    private McpTools() {
    }

    /**
     * @param api the memory's operations
     * @param settings the limits, for the schemas
     * @return the tool specifications
     */
    static List<SyncToolSpecification> tools(MemoryApi api, ServerSettings settings) {
        List<SyncToolSpecification> tools = new ArrayList<>();
        tools.add(tool("remember_decision", "Remembers one decision an agent took: what it perceived, how it reasoned, "
                        + "what it did. Answers the episode's id.", Schemas.rememberArguments(),
                (args, access) -> api.rememberOne(args.path("episode").isMissingNode() ? null : args.get("episode"), access)));
        tools.add(tool("recall_similar_situations", "Past situations similar to the context, most similar first, each "
                        + "with its similarity and how it turned out.", Schemas.recallArguments(settings.maxLimit()),
                (args, access) -> api.recall(args, access)));
        tools.add(tool("record_outcome", "Records how a remembered decision turned out, with a quality in [0,1].",
                Schemas.outcomeArguments(),
                (args, access) -> api.outcome(args.path("episodeId").isTextual() ? args.get("episodeId").asText() : null,
                        args, access)));
        tools.add(tool("get_learned_strategies", "Strategies learned from past outcomes that apply in the context, most "
                        + "confident first.", Schemas.strategiesArguments(),
                (args, access) -> api.strategies(args, access)));
        LearningTools.add(tools, api, settings);
        return List.copyOf(tools);
    }

    static SyncToolSpecification tool(String name, String description, Map<String, Object> schema,
                                      BiFunction<JsonNode, Access, Object> call) {
        return SyncToolSpecification.builder()
                .tool(Tool.builder(name, schema).description(description).build())
                .callHandler((exchange, request) -> {
                    Access access = access(exchange.transportContext());
                    Object answer;
                    boolean error = false;
                    try {
                        Map<String, Object> arguments = request.arguments() == null ? Map.of() : request.arguments();
                        JsonNode args = MemoryJson.MAPPER.valueToTree(arguments);
                        answer = call.apply(args, access);
                    } catch (RuntimeException e) {
                        answer = Errors.of(e).body();
                        error = true;
                    }
                    return result(answer, error);
                })
                .build();
    }

    private static CallToolResult result(Object answer, boolean error) {
        ObjectNode tree = MemoryJson.MAPPER.valueToTree(answer);
        String text;
        try {
            text = MemoryJson.MAPPER.writeValueAsString(tree);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> structured = MemoryJson.MAPPER.convertValue(tree,
                MemoryJson.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
        return CallToolResult.builder()
                .content(List.of(TextContent.builder(text).build()))
                .structuredContent(structured)
                .isError(error)
                .build();
    }

    // Over HTTP the filter has put the key's access in the context; stdio has no keys (the client
    // started the process itself), so there every project is reached.
    private static Access access(McpTransportContext context) {
        Object a = context == null ? null : context.get(ACCESS);
        return a instanceof Access access ? access : Access.ALL;
    }

    /**
     * @param transport MCP over Streamable HTTP
     * @param api the memory's operations
     * @param settings the limits
     * @return the server, serving the tools on that transport
     */
    static McpSyncServer serve(McpStreamableServerTransportProvider transport, MemoryApi api, ServerSettings settings) {
        return McpServer.sync(transport)
                .serverInfo("agent-memory", version())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(JSON)
                // The memory checks the arguments itself, so that a refusal has the library's
                // words and names the field, as over REST.
                .validateToolInputs(false)
                .requestTimeout(settings.requestTimeout().plus(Duration.ofSeconds(5)))
                .tools(tools(api, settings))
                .build();
    }

    /**
     * @param transport MCP over stdio
     * @param api the memory's operations
     * @param settings the limits
     * @return the server, serving the tools on that transport
     */
    public static McpSyncServer serve(McpServerTransportProvider transport, MemoryApi api, ServerSettings settings) {
        return McpServer.sync(transport)
                .serverInfo("agent-memory", version())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(JSON)
                // The memory checks the arguments itself, so that a refusal has the library's
                // words and names the field, as over REST.
                .validateToolInputs(false)
                .requestTimeout(settings.requestTimeout().plus(Duration.ofSeconds(5)))
                .tools(tools(api, settings))
                .build();
    }

    static String version() {
        String v = McpTools.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
