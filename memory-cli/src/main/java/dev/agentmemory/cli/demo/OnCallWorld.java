package dev.agentmemory.cli.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An on-call engineer's incidents: for each alert, whether to roll the last deploy back and
 * whether to page the service's team.
 *
 * <ul>
 *   <li>Rolling back is right when the error rate is at least 20%, and costly below.</li>
 *   <li>Paging the team is right for a sev1, or when the engineer on call is a junior;
 *       otherwise it wakes people for nothing.</li>
 * </ul>
 */
public final class OnCallWorld implements World {

    private static final String[] SERVICES = {"payments", "search", "auth", "checkout"};
    private final int services;

    /** @param services how many services */
    public OnCallWorld(int services) {
        this.services = services;
    }

    @Override
    public String name() {
        return "oncall";
    }

    @Override
    public String description() {
        return "on-call incidents: roll the last deploy back or not, page the team or not";
    }

    @Override
    public String headline() {
        return "rollback";
    }

    @Override
    public int projects() {
        return services;
    }

    @Override
    public String projectId(int i) {
        return SERVICES[i % SERVICES.length] + (i >= SERVICES.length ? "-" + (i / SERVICES.length) : "");
    }

    @Override
    public Map<String, Object> perceive(int project, int step, Random random) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("service", projectId(project));
        s.put("severity", "sev" + (1 + random.nextInt(3)));
        s.put("error_rate", random.nextInt(50));
        s.put("hour", random.nextInt(24));
        s.put("on_call", Map.of("seniority", random.nextInt(3) == 0 ? "junior" : "senior",
                "pages_this_week", random.nextInt(6)));
        return s;
    }

    @Override
    public List<Map<String, Object>> options(Map<String, Object> situation) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (boolean rollback : new boolean[] {false, true}) {
            for (boolean page : new boolean[] {false, true}) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("rollback", rollback);
                a.put("page_team", page);
                out.add(a);
            }
        }
        return out;
    }

    @Override
    @SuppressWarnings("unchecked")
    public double expectedQuality(Map<String, Object> s, Map<String, Object> a) {
        boolean rollbackRight = (Integer) s.get("error_rate") >= 20;
        boolean pageRight = "sev1".equals(s.get("severity"))
                || "junior".equals(((Map<String, Object>) s.get("on_call")).get("seniority"));
        double q = 0.2;
        q += Boolean.valueOf(rollbackRight).equals(a.get("rollback")) ? 0.45 : 0;
        q += Boolean.valueOf(pageRight).equals(a.get("page_team")) ? 0.35 : 0;
        return q;
    }

    @Override
    public double noise() {
        return 0.1;
    }

    @Override
    public List<HiddenRule> hiddenRules() {
        return List.of(
                new HiddenRule("error_rate >= 20", "rollback", true, "roll back at an error rate of 20% or more"),
                new HiddenRule("error_rate < 20", "rollback", false, "do not roll back below 20%"),
                new HiddenRule("severity is 'sev1'", "page_team", true, "page the team for a sev1"),
                new HiddenRule("on_call.seniority is 'junior'", "page_team", true, "page the team when a junior is on call"),
                new HiddenRule("severity is not 'sev1' and on_call.seniority is 'senior'", "page_team", false,
                        "otherwise do not page"));
    }
}
