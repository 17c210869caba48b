package com.example.agent;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.stereotype.Service;

@Service
public class PlannerAgent {
    private final ChatClient chat;

    public PlannerAgent(ChatClient.Builder chat, ToolCallbackProvider agentMemoryToolCallbacks) {
        this.chat = chat.defaultToolCallbacks(agentMemoryToolCallbacks).build();   // the memory's five tools
    }

    public String plan(String project, String situation) {
        return chat.prompt()
                .system("You plan sprints for project " + project + ". Recall similar situations and advice "
                        + "before deciding, remember the decision, and record its outcome when you learn it.")
                .user(situation)
                .call()
                .content();
    }
}
