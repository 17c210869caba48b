package dev.agentmemory.server;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.NotFoundException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failure as an answer: its HTTP status and {@code {"error": ..., "field": ...}} in the
 * library's own words. The same for REST and for MCP tools (whose result carries the same object).
 *
 * @param status the HTTP status
 * @param body the JSON answer
 */
record Errors(int status, Map<String, Object> body) {
    private static final Logger log = LoggerFactory.getLogger(Errors.class);

    static Errors of(Throwable e) {
        Map<String, Object> body = new LinkedHashMap<>();
        int status;
        if (e instanceof InvalidInputException invalid) {
            status = 400;
            body.put("error", invalid.getMessage());
            body.put("field", invalid.field());
            if (invalid instanceof BatchItemException item) {
                body.put("index", item.index());
            }
        } else if (e instanceof AccessDeniedException denied) {
            status = 403;
            body.put("error", denied.getMessage());
            body.put("field", denied.field());
        } else if (e instanceof NotFoundException) {
            status = 404;
            body.put("error", e.getMessage());
        } else if (e instanceof MemoryException m && m.isTransient()) {
            status = 503;
            body.put("error", m.getMessage());
        } else if (e instanceof ConfigurationException) {
            status = 501;
            body.put("error", e.getMessage());
        } else if (e instanceof MemoryException) {
            status = 500;
            body.put("error", e.getMessage());
            log.warn("request failed: {}", e.toString());
        } else {
            status = 500;
            body.put("error", "internal error (" + e.getClass().getSimpleName() + "); see the server's log");
            log.error("request failed", e);
        }
        return new Errors(status, body);
    }

    static Errors of(int status, String error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        return new Errors(status, body);
    }
}
