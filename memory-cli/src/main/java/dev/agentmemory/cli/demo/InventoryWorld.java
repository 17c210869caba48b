package dev.agentmemory.cli.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Warehouses deciding each week whether to reorder a product and how much.
 *
 * <ul>
 *   <li>Reorder when the stock is below 60 units; above, a reorder only fills shelves.</li>
 *   <li>The right quantity follows demand: about 80 units when demand is high, 40 when normal,
 *       20 when low; the further off, the worse.</li>
 * </ul>
 */
public final class InventoryWorld implements World {

    private final int sites;

    /** @param sites how many warehouses */
    public InventoryWorld(int sites) {
        this.sites = sites;
    }

    @Override
    public String name() {
        return "inventory";
    }

    @Override
    public String description() {
        return "warehouses: reorder or not, and how many units";
    }

    @Override
    public String headline() {
        return "reorder";
    }

    @Override
    public int projects() {
        return sites;
    }

    @Override
    public String projectId(int i) {
        return "warehouse-" + (i + 1);
    }

    @Override
    public Map<String, Object> perceive(int project, int step, Random random) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("stock", random.nextInt(150));
        s.put("demand", List.of("low", "normal", "high").get(random.nextInt(3)));
        s.put("perishable", random.nextInt(4) == 0);
        s.put("supplier", Map.of("lead_days", 1 + random.nextInt(14)));
        s.put("week", step);
        return s;
    }

    @Override
    public List<Map<String, Object>> options(Map<String, Object> situation) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(action(false, 0));
        for (int q = 10; q <= 100; q += 10) {
            out.add(action(true, q));
        }
        return out;
    }

    private static Map<String, Object> action(boolean reorder, int quantity) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("reorder", reorder);
        a.put("quantity", quantity);
        return a;
    }

    @Override
    public double expectedQuality(Map<String, Object> s, Map<String, Object> a) {
        boolean low = (Integer) s.get("stock") < 60;
        boolean reorder = Boolean.TRUE.equals(a.get("reorder"));
        if (!reorder) {
            return low ? 0.15 : 0.75;
        }
        if (!low) {
            return 0.3;
        }
        double target = switch ((String) s.get("demand")) {
            case "high" -> 80;
            case "normal" -> 40;
            default -> 20;
        };
        int quantity = ((Number) a.get("quantity")).intValue();
        return Math.max(0, 0.95 - Math.abs(quantity - target) / 100.0);
    }

    @Override
    public double noise() {
        return 0.08;
    }

    @Override
    public List<HiddenRule> hiddenRules() {
        return List.of(
                new HiddenRule("stock < 60", "reorder", true, "reorder below 60 units"),
                new HiddenRule("stock >= 60", "reorder", false, "do not reorder from 60 units up"),
                new HiddenRule("stock < 60 and demand is 'high'", "quantity", 80,
                        "order about 80 units when demand is high"),
                new HiddenRule("stock < 60 and demand is 'low'", "quantity", 20, "order about 20 units when demand is low"));
    }
}
