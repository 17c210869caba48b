// An MCP client using agent-memory's tools with the official MCP TypeScript SDK
// (npm install @modelcontextprotocol/sdk). Over Streamable HTTP to `bin/agent-memory serve`
// (AGENT_MEMORY_URL, AGENT_MEMORY_API_KEY); with AGENT_MEMORY_MCP_COMMAND set instead, it starts
// that command (for example "bin/agent-memory mcp") and talks to it over stdio.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const base = process.env.AGENT_MEMORY_URL ?? "http://127.0.0.1:8080";
const key = process.env.AGENT_MEMORY_API_KEY;
const command = process.env.AGENT_MEMORY_MCP_COMMAND;
const transport = command
  ? new StdioClientTransport({ command: command.split(" ")[0], args: command.split(" ").slice(1), stderr: "inherit" })
  : new StreamableHTTPClientTransport(new URL(base + "/mcp"),
      { requestInit: { headers: key ? { Authorization: `Bearer ${key}` } : {} } });

const client = new Client({ name: "my-agent", version: "1.0.0" });
await client.connect(transport);
console.log("tools:", (await client.listTools()).tools.map((t) => t.name).join(", "));

const situation = { backlog_tasks: 7, team_availability: "on leave" };
const remembered = await client.callTool({
  name: "remember_decision",
  arguments: { episode: { projectId: "project-b", perception: situation,
    reasoning: { rule: "team on leave" }, action: { create_sprint: false } } },
});
const { episodeId } = remembered.structuredContent;
console.log("remembered", episodeId);

await client.callTool({ name: "record_outcome", arguments: { episodeId, outcome: { idle: true }, outcomeQuality: 0.8 } });
const recalled = await client.callTool({
  name: "recall_similar_situations", arguments: { context: situation, projectId: "project-b", limit: 3 },
});
for (const e of recalled.structuredContent.episodes) {
  console.log("similar", e.similarity.toFixed(2), JSON.stringify(e.action), "->", e.outcomeQuality);
}
const advice = await client.callTool({ name: "advise", arguments: { context: situation, projectId: "project-b" } });
console.log("advice", advice.content[0].text);
await client.close();
