package dev.agentmemory.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.server.ApiKeys.Access;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One REST route: what {@link RestServlet} dispatches on and what {@link OpenApi} describes, so
 * that the description cannot drift from the routes.
 *
 * @param method the HTTP method
 * @param path the path template, with {@code {name}} for a path parameter
 * @param operationId the operation's name in the description
 * @param summary one line on what it does
 * @param requestSchema the JSON body's schema; null when the route takes no body
 * @param status the status of a successful answer
 * @param responseSchema the successful answer's schema
 * @param open whether it answers without a key (the health check)
 * @param handler what answers it
 */
record Route(String method, String path, String operationId, String summary, @Nullable Map<String, Object> requestSchema,
             int status, Map<String, Object> responseSchema, boolean open, Handler handler) {

    Route {
        Objects.requireNonNull(handler, "handler");
    }

    /** The parts of a request a handler reads. */
    interface Call {
        /** @return the path parameter of that name */
        String param(String name);

        /** @return the JSON body; an empty object when there is none */
        JsonNode body();

        /** @return what the request's key reaches */
        Access access();
    }

    /** Answers a route. */
    @FunctionalInterface
    interface Handler {
        /**
         * @param call the request
         * @return the answer's JSON value, or a {@link Reply} to choose its status and type
         */
        Object handle(Call call);
    }

    /**
     * An answer other than the route's usual JSON.
     *
     * @param status the status
     * @param contentType the content type
     * @param body a JSON value, or a String sent as it is
     */
    record Reply(int status, String contentType, Object body) {
    }

    /** @return the path parameter names, in order */
    List<String> params() {
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)}");

    /**
     * @param requestPath the request's path
     * @return the path parameters when the path matches this route's template
     */
    Optional<Map<String, String>> match(String requestPath) {
        String[] want = path.split("/", -1);
        String[] got = requestPath.split("/", -1);
        if (want.length != got.length) {
            return Optional.empty();
        }
        Map<String, String> params = new java.util.HashMap<>();
        for (int i = 0; i < want.length; i++) {
            Matcher m = PARAM.matcher(want[i]);
            if (m.matches()) {
                if (got[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(m.group(1), got[i]);
            } else if (!want[i].equals(got[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}
