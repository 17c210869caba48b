"""An agent in Python using agent-memory's REST API with the standard library alone.

Run `bin/agent-memory serve` first; AGENT_MEMORY_URL (default http://127.0.0.1:8080) and
AGENT_MEMORY_API_KEY (when the server has keys) say where and how.
"""
import json
import os
import urllib.error
import urllib.request

BASE = os.environ.get("AGENT_MEMORY_URL", "http://127.0.0.1:8080")
KEY = os.environ.get("AGENT_MEMORY_API_KEY")


def call(method, path, body=None):
    request = urllib.request.Request(BASE + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if KEY:
        request.add_header("Authorization", "Bearer " + KEY)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        problem = json.load(e)  # {"error": "...", "field": "..."}: nothing was written
        raise RuntimeError(f"{e.code} {problem['error']}") from None


situation = {"backlog_tasks": 18, "team_availability": "available", "sprint_goal": "payments"}

# Remember a decision: one episode (or an array of them); the answer holds the ids.
ids = call("POST", "/v1/episodes", {
    "projectId": "project-a",
    "perception": situation,
    "reasoning": {"rule": "backlog over 15 and the team is available"},
    "action": {"create_sprint": True, "tasks": 12},
})["ids"]
print("remembered", ids[0])

# Later, record how it turned out.
call("POST", f"/v1/episodes/{ids[0]}/outcome", {"outcome": {"completed": 11}, "outcomeQuality": 0.9})

# Before the next decision: similar past situations, and advice drawn from their outcomes.
similar = call("POST", "/v1/recall", {"context": situation, "projectId": "project-a", "limit": 5})["episodes"]
for episode in similar:
    print(f"similar {episode['similarity']:.2f} {episode['action']} -> {episode['outcomeQuality']}")
for advice in call("POST", "/v1/advise", {"context": situation, "projectId": "project-a", "limit": 3})["advice"]:
    print("advice", advice["action"], "expected", advice["expectedQuality"], "from", advice["evidence"], "episodes")

# Bad input is refused, naming the field, in the library's words.
try:
    call("POST", f"/v1/episodes/{ids[0]}/outcome", {"outcome": {}, "outcomeQuality": 1.5})
except RuntimeError as refused:
    print("refused:", refused)
