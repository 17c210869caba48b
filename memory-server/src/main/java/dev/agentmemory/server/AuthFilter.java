package dev.agentmemory.server;

import dev.agentmemory.server.ApiKeys.Access;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Lets a request in only with a configured key ({@code Authorization: Bearer <key>}), and hands
 * on what that key reaches. Without keys every request is let in, reaching every project. The
 * routes marked open (the health check) answer without a key.
 */
final class AuthFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    private final transient ApiKeys keys;
    private final transient List<Route> routes;

    AuthFilter(ApiKeys keys, List<Route> routes) {
        this.keys = keys;
        this.routes = routes;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        var route = RestServlet.find(routes, req.getMethod(), req.getRequestURI());
        route.ifPresent(e -> req.setAttribute(RestServlet.ROUTE, e.getKey().path()));
        boolean open = route.map(e -> e.getKey().open()).orElse(false);
        if (!open) {
            Optional<Access> access = keys.authenticate(req.getHeader("Authorization"));
            if (access.isEmpty()) {
                resp.setHeader("WWW-Authenticate", "Bearer realm=\"agent-memory\"");
                RestServlet.write(resp, Errors.of(401, req.getHeader("Authorization") == null
                        ? "this server needs a key: send 'Authorization: Bearer <key>'"
                        : "the key sent is not one this server accepts"));
                return;
            }
            req.setAttribute(RestServlet.ACCESS, access.get());
        }
        chain.doFilter(req, resp);
    }
}
