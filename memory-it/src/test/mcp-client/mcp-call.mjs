// Calls agent-memory's MCP tools with the official MCP TypeScript SDK client, as an agent would.
//   node mcp-call.mjs http <url> <key or -> <calls.json>
//   node mcp-call.mjs stdio <calls.json> <command> [args...]
// calls.json: [{"name": "...", "arguments": {...}}, ...]; "$N.path" in a string argument is taken
// from the structured content of call N (0-based), e.g. "$0.episodeId".
// Prints one JSON object: {"tools": [{name, inputSchema}], "results": [{isError, text, structured}]}.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [mode, ...rest] = process.argv.slice(2);
let transport;
let callsFile;
if (mode === "http") {
  const [url, key, file] = rest;
  callsFile = file;
  const headers = key && key !== "-" ? { Authorization: `Bearer ${key}` } : {};
  transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
} else if (mode === "stdio") {
  const [file, command, ...args] = rest;
  callsFile = file;
  transport = new StdioClientTransport({ command, args, env: process.env, stderr: "inherit" });
} else {
  console.error("usage: mcp-call.mjs http <url> <key|-> <calls.json> | stdio <calls.json> <command> [args...]");
  process.exit(2);
}

function resolve(value, results) {
  if (typeof value === "string" && /^\$\d+\./.test(value)) {
    const [ref, ...path] = value.slice(1).split(".");
    let v = results[Number(ref)].structured;
    for (const p of path) v = v[p];
    return v;
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, results));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, results)]));
  }
  return value;
}

const client = new Client({ name: "agent-memory-it", version: "1.0.0" });
try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  const results = [];
  for (const call of JSON.parse(readFileSync(callsFile, "utf8"))) {
    const r = await client.callTool({ name: call.name, arguments: resolve(call.arguments, results) });
    results.push({
      isError: r.isError === true,
      text: r.content?.[0]?.type === "text" ? r.content[0].text : null,
      structured: r.structuredContent ?? null,
    });
  }
  console.log(JSON.stringify({ tools: tools.map((t) => ({ name: t.name, inputSchema: t.inputSchema })), results }));
  await client.close();
} catch (e) {
  console.log(JSON.stringify({ failure: String(e?.message ?? e), code: e?.code ?? null }));
  try { await client.close(); } catch { /* already closed */ }
  process.exitCode = 3;
}
