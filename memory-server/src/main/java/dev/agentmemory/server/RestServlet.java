package dev.agentmemory.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.agentmemory.server.ApiKeys.Access;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;

/** Dispatches REST requests on the {@link Routes} table and writes their JSON answers. */
final class RestServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** The request attribute that names the matched route's template, for logs and metrics. */
    static final String ROUTE = "agentmemory.route";
    /** The request attribute holding the key's {@link Access}, set by {@link AuthFilter}. */
    static final String ACCESS = "agentmemory.access";

    private static final ObjectReader READER = MemoryJson.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final transient List<Route> routes;
    private final int maxBodyBytes;

    RestServlet(List<Route> routes, int maxBodyBytes) {
        this.routes = routes;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** @return the route and its path parameters for this method and path, when one matches */
    static Optional<Map.Entry<Route, Map<String, String>>> find(List<Route> routes, String method, String path) {
        for (Route r : routes) {
            if (r.method().equals(method)) {
                Optional<Map<String, String>> params = r.match(path);
                if (params.isPresent()) {
                    return Optional.of(Map.entry(r, params.get()));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        Optional<Map.Entry<Route, Map<String, String>>> found = find(routes, req.getMethod(), path);
        if (found.isEmpty()) {
            boolean otherMethod = routes.stream().anyMatch(r -> r.match(path).isPresent());
            write(resp, otherMethod ? Errors.of(405, req.getMethod() + " is not allowed on " + path)
                    : Errors.of(404, "no route " + path));
            return;
        }
        Route route = found.get().getKey();
        Map<String, String> params = found.get().getValue();
        req.setAttribute(ROUTE, route.path());
        Object answer;
        int status = route.status();
        try {
            JsonNode body = route.requestSchema() == null ? MemoryJson.MAPPER.createObjectNode() : readBody(req);
            Access access = (Access) req.getAttribute(ACCESS);
            answer = route.handler().handle(new Route.Call() {
                @Override
                public String param(String name) {
                    return Objects.requireNonNull(params.get(name), name); // the route's own path names it
                }

                @Override
                public JsonNode body() {
                    return body;
                }

                @Override
                public Access access() {
                    return access == null ? Access.ALL : access;
                }
            });
        } catch (BodyTooLarge e) {
            write(resp, Errors.of(413, "the request body exceeds the server's limit of " + maxBodyBytes + " bytes"));
            return;
        } catch (RuntimeException e) {
            write(resp, Errors.of(e));
            return;
        }
        if (answer instanceof Route.Reply reply) {
            resp.setStatus(reply.status());
            resp.setContentType(reply.contentType());
            byte[] bytes = reply.body() instanceof String s ? s.getBytes(StandardCharsets.UTF_8)
                    : MemoryJson.MAPPER.writeValueAsBytes(reply.body());
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
            return;
        }
        byte[] bytes = MemoryJson.MAPPER.writeValueAsBytes(answer);
        resp.setStatus(status);
        resp.setContentType(Routes.JSON);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private JsonNode readBody(HttpServletRequest req) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw new BodyTooLarge();
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
        byte[] chunk = new byte[8192];
        try (InputStream in = req.getInputStream()) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (buffer.size() + n > maxBodyBytes) {
                    throw new BodyTooLarge();
                }
                buffer.write(chunk, 0, n);
            }
        } catch (BodyTooLarge e) {
            throw e;
        } catch (IOException e) {
            // Jetty's own size limit ends the read this way when a chunked body grows too large.
            if (String.valueOf(e.getMessage()).contains("413") || e.getClass().getSimpleName().contains("BadMessage")) {
                throw new BodyTooLarge();
            }
            throw e;
        }
        if (buffer.size() == 0) {
            throw new dev.agentmemory.api.InvalidInputException("body", "is empty; expected JSON");
        }
        try {
            JsonNode node = READER.readTree(buffer.toByteArray());
            if (node == null || node.isMissingNode()) {
                throw new dev.agentmemory.api.InvalidInputException("body", "is empty; expected JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new dev.agentmemory.api.InvalidInputException("body", MemoryJson.problem(e));
        }
    }

    static void write(HttpServletResponse resp, Errors error) throws IOException {
        byte[] bytes = MemoryJson.MAPPER.writeValueAsBytes(error.body());
        resp.setStatus(error.status());
        resp.setContentType(Routes.JSON);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    /** The body is, or grew while being read, past the limit: answered 413. */
    private static final class BodyTooLarge extends dev.agentmemory.api.MemoryException {
        private static final long serialVersionUID = 1L;

        BodyTooLarge() {
            super("the request body is too large");
        }
    }
}
