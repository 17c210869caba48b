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

    static boolean fromThisMachine(HttpServletRequest req) {
        return loopbackName(hostOf(req.getHeader("Host"))) && (req.getHeader("Origin") == null
                || loopbackName(hostOf(req.getHeader("Origin").replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", ""))));
    }

    private static String hostOf(String authority) {
        if (authority == null) {
            return "";
        }
        String a = authority.strip();
        int slash = a.indexOf('/');
        if (slash >= 0) {
            a = a.substring(0, slash);
        }
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end > 0 ? a.substring(0, end + 1) : a;
        }
        int colon = a.lastIndexOf(':');
        return colon >= 0 ? a.substring(0, colon) : a;
    }

    private static boolean loopbackName(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || h.matches("127(\\.\\d{1,3}){3}");
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        var route = RestServlet.find(routes, req.getMethod(), req.getRequestURI());
        route.ifPresent(e -> req.setAttribute(RestServlet.ROUTE, e.getKey().path()));
        boolean open = route.map(e -> e.getKey().open()).orElse(false);
        if (!keys.required() && !fromThisMachine(req)) {
            // Without keys the port is on loopback only; a page in a browser could still reach it
            // through a name that resolves to 127.0.0.1 (DNS rebinding), which Host and Origin tell.
            RestServlet.write(resp, Errors.of(403, "without keys this server answers only requests addressed to"
                    + " localhost, 127.0.0.1 or [::1], from no web page of another origin"));
            return;
        }
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
