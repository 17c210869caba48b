package dev.agentmemory.core.learning;

import dev.agentmemory.api.Episode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Learns rules from episodes with outcomes: under which conditions on the situation (the
 * perception's fields) a decision (the value of one action field) did clearly better than the
 * other decisions taken under the same conditions. A pure function of the episodes; the same
 * episodes give the same rules, in the same order.
 *
 * <h2>What is tried</h2>
 * Every scalar field of the perception, nested ones by dotted path, becomes conditions by the type
 * of its values: a number gives thresholds ({@code x >= c}, {@code x < c}: at each distinct value
 * when there are few, else on a fixed grid of about ten steps, so thresholds stay put as data
 * grows), a boolean {@code x is true/false}, a text field with few distinct values
 * {@code x is 'v'} (and {@code x is not 'v'} when there are three or more). Conditions are tried
 * alone and in pairs of two fields. Every scalar action field is a decision: each of its values,
 * or, for a number with many distinct values, each bin of a fixed grid of about five steps.
 *
 * <h2>Why a rule found among thousands does not pass on luck</h2>
 * Each (condition, decision) with enough episodes on both sides is one test: Welch's test that the
 * episodes which took the decision had a higher mean quality than those which took the best other
 * decision seen often enough to judge (or, when none was, all the others together). All
 * the tests of a run form one family, and Holm's step-down correction holds the chance that any
 * rule passes on luck to {@link LearningSettings#alpha()}, however many were tried. A rule must
 * also beat the others by {@link LearningSettings#minEffect()} and reach
 * {@link LearningSettings#minConfidence()}.
 *
 * <h2>Confidence</h2>
 * A lower bound, not a mean: the Wilson lower bound (95%) of how often an episode that followed the
 * rule did better than the mean of those that did not. Above 0.5 it says: following the rule beats
 * the alternative more often than not, and we are fairly sure of it.
 *
 * <h2>Fewer, truer rules</h2>
 * The rules that pass form a decision list, most confident first (a second condition must buy
 * 0.05 of confidence to rank above a rule of one). A rule is kept only when it
 * contradicts no kept rule where both hold (no field may be told two values), and when the situations no kept
 * rule covers yet support it on their own; a kept rule that a broader one for the same value
 * covers gives way to it. What remains is a few rules that do not disagree.
 */
public final class Consolidator {

    /** How much confidence each condition beyond the first costs when rules compete. */
    static final double COMPLEXITY = 0.05;

    private final LearningSettings settings;

    /** @param settings how cautiously to learn */
    public Consolidator(LearningSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * A learned rule.
     *
     * @param conditions the conditions, each in the {@link dev.agentmemory.api.Condition} language; all must hold
     * @param field the action field (dotted path) the rule is about
     * @param value the value to take: a category, or the median of the bin
     * @param range for a binned number, the bin {@code [low, high)}; null for a category
     * @param with for a binned number, the values of the categorical action fields taken with it
     *     (so that "no sprint, 0 tasks" and "a sprint of 2 tasks" are not one decision); else empty
     * @param confidence the lower bound described in the class comment
     * @param quality the mean outcome quality of the episodes that followed it
     * @param alternativeQuality the mean of those that, under the same conditions, did not
     * @param support how many followed it
     * @param alternatives how many did not
     * @param z the test statistic on the normal scale
     * @param supporting ids of followers that beat the alternative mean, newest first
     * @param contradicting ids of followers that did not, newest first
     */
    public record Rule(List<String> conditions, String field, Object value, double @Nullable [] range,
                       Map<String, Object> with,
                       double confidence, double quality, double alternativeQuality, int support,
                       int alternatives, double z, List<UUID> supporting, List<UUID> contradicting) {

        /** @return the conditions joined by "and" */
        public String conditionText() {
            return conditions.isEmpty() ? "(always)" : String.join(" and ", conditions);
        }

        /** @return the recommendation: {field: value}, nested for a dotted field */
        public Map<String, Object> recommendation() {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> w : with.entrySet()) {
                Adviser.put(out, w.getKey(), w.getValue());
            }
            Adviser.put(out, field, value);
            return out;
        }

        /** @return what identifies the rule across runs: its conditions and its decision, not its numbers */
        public String identity() {
            String decision = range != null
                    ? field + " in [" + Fields.number(range[0]) + ", " + Fields.number(range[1]) + ")"
                    : field + " = " + value;
            return String.join("\n", conditions) + "\n=> " + (with.isEmpty() ? "" : with + " ") + decision;
        }
    }

    /**
     * What one run did.
     *
     * @param rules the rules learned, most confident first
     * @param episodes how many episodes with an outcome it read
     * @param conditionsTried how many conditions
     * @param tests how many (condition, decision) tests had enough episodes to count
     * @param passedUncorrected how many would pass a single test at the same alpha, without correction
     * @param passedCorrected how many passed Holm's correction (before pruning)
     */
    public record Result(List<Rule> rules, int episodes, int conditionsTried, int tests, int passedUncorrected,
                         int passedCorrected) {
    }

    // ---- the data, in columns ----------------------------------------------------------------

    private record Literal(int feature, String text, BitSet covers) {
    }

    /** One action field: each episode's level (or -1), and what the levels mean. */
    private static final class Decision {
        final String field;
        final int[] level;
        final List<Object> values = new ArrayList<>();
        final @Nullable List<double[]> ranges;
        final double @Nullable [] raw;
        /** For a number binned with the categories taken alongside: each level's categories. */
        final List<Map<String, Object>> with = new ArrayList<>();
        /** Levels worth a test; a category whose number never varies says nothing of its own. */
        final List<Boolean> testable = new ArrayList<>();

        boolean testable(int level) {
            return testable.isEmpty() || testable.get(level);
        }

        Map<String, Object> with(int level) {
            return with.isEmpty() ? Map.of() : with.get(level);
        }

        /** @return the bins' ranges; only a binned number has them */
        List<double[]> binRanges() {
            return Objects.requireNonNull(ranges, "a binned decision");
        }

        /** @return each episode's number; only a binned number has them */
        double[] rawValues() {
            return Objects.requireNonNull(raw, "a binned decision");
        }

        Decision(String field, int n, boolean binned) {
            this.field = field;
            this.level = new int[n];
            this.ranges = binned ? new ArrayList<>() : null;
            this.raw = binned ? new double[n] : null;
        }
    }

    private record Candidate(int[] literals, BitSet region, int decision, int level, double z) {
    }

    /**
     * @param input episodes; those without an outcome are left out
     * @return the rules and what the run tried
     */
    public Result learn(List<Episode> input) {
        List<Episode> episodes = new ArrayList<>();
        for (Episode e : input) {
            if (e.outcomeQuality() != null && e.episodeId() != null) {
                episodes.add(e);
            }
        }
        // Oldest first, then by id: the same episodes in any order give the same columns.
        episodes.sort(Comparator.comparing(Episode::timestamp).thenComparing(Episode::episodeId));
        int n = episodes.size();
        double[] quality = new double[n];
        List<Map<String, Object>> perceptions = new ArrayList<>(n);
        List<Map<String, Object>> actions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Episode e = episodes.get(i);
            quality[i] = Objects.requireNonNull(e.outcomeQuality(), "episodes with an outcome");
            perceptions.add(Fields.flatten(e.perception()));
            actions.add(Fields.flatten(e.action()));
        }
        List<Literal> literals = literals(perceptions, n);
        List<Decision> decisions = decisions(actions, n);
        if (n < settings.minSupport() + settings.minAlternatives() || decisions.isEmpty()) {
            return new Result(List.of(), n, 0, 0, 0, 0);
        }

        // Conditions: each literal, then pairs of literals on two different fields.
        List<int[]> conditions = new ArrayList<>();
        List<BitSet> regions = new ArrayList<>();
        int minRegion = settings.minSupport() + settings.minAlternatives();
        for (int a = 0; a < literals.size() && conditions.size() < settings.maxConditions(); a++) {
            if (literals.get(a).covers.cardinality() >= minRegion) {
                conditions.add(new int[] {a});
                regions.add(literals.get(a).covers);
            }
        }
        for (int a = 0; a < literals.size(); a++) {
            BitSet ra = literals.get(a).covers;
            int ca = ra.cardinality();
            if (ca < minRegion) {
                continue;
            }
            for (int b = a + 1; b < literals.size() && conditions.size() < settings.maxConditions(); b++) {
                Literal lb = literals.get(b);
                if (lb.feature == literals.get(a).feature) {
                    continue;
                }
                BitSet r = (BitSet) ra.clone();
                r.and(lb.covers);
                int c = r.cardinality();
                if (c < minRegion || c == ca || c == lb.covers.cardinality()) {
                    continue; // too small, or no narrower than one of its parts
                }
                conditions.add(new int[] {a, b});
                regions.add(r);
            }
        }

        // One pass over each region counts every decision's levels at once.
        int tests = 0;
        int uncorrected = 0;
        double zUncorrected = Stats.upperQuantile(settings.alpha());
        List<Candidate> candidates = new ArrayList<>();
        Group[][] groups = new Group[decisions.size()][];
        for (int d = 0; d < decisions.size(); d++) {
            groups[d] = new Group[decisions.get(d).values.size()];
            for (int l = 0; l < groups[d].length; l++) {
                groups[d][l] = new Group();
            }
        }
        for (int c = 0; c < conditions.size(); c++) {
            BitSet region = regions.get(c);
            for (Group[] gs : groups) {
                for (Group g : gs) {
                    g.reset();
                }
            }
            for (int i = region.nextSetBit(0); i >= 0; i = region.nextSetBit(i + 1)) {
                double q = quality[i];
                for (int d = 0; d < decisions.size(); d++) {
                    int l = decisions.get(d).level[i];
                    if (l >= 0) {
                        groups[d][l].add(q);
                    }
                }
            }
            for (int d = 0; d < decisions.size(); d++) {
                Group all = Group.sum(groups[d]);
                for (int l = 0; l < groups[d].length; l++) {
                    if (!decisions.get(d).testable(l)) {
                        continue;
                    }
                    Group a = groups[d][l];
                    Group b = alternative(groups[d], l, all);
                    if (a.n < settings.minSupport() || b == null) {
                        continue;
                    }
                    tests++;
                    double z = Stats.welchZ(a.mean(), a.variance(), a.n, b.mean(), b.variance(), b.n);
                    if (z >= zUncorrected) {
                        uncorrected++;
                        if (a.mean() - b.mean() >= settings.minEffect()) {
                            candidates.add(new Candidate(conditions.get(c), region, d, l, z));
                        }
                    }
                }
            }
        }

        // Holm: the i-th strongest of m tests must reach the quantile of alpha / (m - i).
        candidates.sort(Comparator.comparingDouble(Candidate::z).reversed()
                .thenComparing(cand -> text(cand.literals, literals)));
        List<Candidate> passed = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate cand = candidates.get(i);
            if (cand.z < Stats.upperQuantile(settings.alpha() / (tests - i))) {
                break;
            }
            passed.add(cand);
        }
        double zStrict = tests > 0 ? Stats.upperQuantile(settings.alpha() / tests) : Double.POSITIVE_INFINITY;

        List<Draft> drafts = new ArrayList<>();
        for (Candidate cand : passed) {
            Draft draft = evaluate(conditionsOf(cand.literals, literals), cand.region, decisions.get(cand.decision),
                    cand.level, quality, episodes);
            if (draft != null && draft.confidence >= settings.minConfidence()) {
                drafts.add(draft);
            }
        }
        drafts.sort(Draft.ORDER);

        // A decision list, most confident first: a rule is kept when it contradicts no kept rule
        // for the same field where both hold, and when the situations no kept rule for its field
        // covers yet still support it on their own, at the strictest level of the run. A kept rule
        // that a broader one for the same value now covers gives way to it.
        List<Draft> refined = new ArrayList<>();
        Map<Decision, BitSet> covered = new java.util.IdentityHashMap<>();
        for (Draft draft : drafts) {
            boolean conflict = false;
            for (Draft k : refined) {
                if (conflict(k.rule, draft.rule) && k.region.intersects(draft.region)) {
                    conflict = true;
                    break;
                }
            }
            if (conflict) {
                continue;
            }
            BitSet residual = (BitSet) draft.region.clone();
            BitSet done = covered.get(draft.decision);
            if (done != null) {
                residual.andNot(done);
            }
            if (!residual.equals(draft.region)) {
                Draft rest = evaluate(draft.conditions, residual, draft.decision, draft.level, quality, episodes);
                if (rest == null || rest.z < zStrict || rest.quality - rest.alternativeQuality < settings.minEffect()) {
                    continue;
                }
            }
            refined.removeIf(k -> k.decision == draft.decision && k.level == draft.level && subset(k.region, draft.region));
            refined.add(draft);
            covered.computeIfAbsent(draft.decision, x -> new BitSet()).or(draft.region);
        }
        refined.sort(Draft.ORDER);
        List<Rule> rules = new ArrayList<>(refined.size());
        for (Draft d : refined) {
            rules.add(d.rule);
        }
        return new Result(List.copyOf(rules), n, conditions.size(), tests, uncorrected, passed.size());
    }

    // Two rules conflict when they would have one field take two values: "no sprint" and "a sprint
    // of 0 to 10 tasks" do, as do two bins of the same number.
    private static boolean conflict(Rule a, Rule b) {
        Map<String, Object> x = assertions(a);
        Map<String, Object> y = assertions(b);
        for (Map.Entry<String, Object> e : x.entrySet()) {
            Object other = y.get(e.getKey());
            if (other != null && !other.equals(e.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> assertions(Rule r) {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, Object> w : r.with().entrySet()) {
            out.put(w.getKey(), token(w.getValue()));
        }
        out.put(r.field(), r.range() != null ? "bin " + r.range()[0] + " " + r.range()[1] : token(r.value()));
        return out;
    }

    private static Object token(Object v) {
        return v instanceof Number n ? (Object) n.doubleValue() : v;
    }

    private static boolean subset(BitSet a, BitSet b) {
        BitSet x = (BitSet) a.clone();
        x.andNot(b);
        return x.isEmpty();
    }

    private static String text(int[] lits, List<Literal> literals) {
        return String.join(" and ", conditionsOf(lits, literals));
    }

    private static List<String> conditionsOf(int[] lits, List<Literal> literals) {
        List<String> out = new ArrayList<>(lits.length);
        for (int l : lits) {
            out.add(literals.get(l).text);
        }
        return out;
    }

    /** A rule before pruning, with the situations it covers. */
    private static final class Draft {
        // Simpler first at equal worth: a second condition must earn its place by 0.05 of confidence.
        static final Comparator<Draft> ORDER = Comparator.comparingDouble(
                        (Draft d) -> d.confidence - COMPLEXITY * (d.conditions.size() - 1)).reversed()
                .thenComparing(Comparator.comparingInt((Draft d) -> d.rule.support()).reversed())
                .thenComparing(d -> d.rule.identity());

        final List<String> conditions;
        final BitSet region;
        final Decision decision;
        final int level;
        final double confidence;
        final double quality;
        final double alternativeQuality;
        final double z;
        final Rule rule;

        Draft(List<String> conditions, BitSet region, Decision decision, int level, Rule rule) {
            this.conditions = conditions;
            this.region = region;
            this.decision = decision;
            this.level = level;
            this.rule = rule;
            this.confidence = rule.confidence();
            this.quality = rule.quality();
            this.alternativeQuality = rule.alternativeQuality();
            this.z = rule.z();
        }
    }

    // What a decision must beat: the best other decision taken often enough to judge, or, when no
    // single one was, all the others together. Beating the average of the rest is not enough where
    // one alternative does well and many do badly (a number with many values, an agent that
    // explores at random).
    private @Nullable Group alternative(Group[] levels, int level, Group all) {
        Group best = null;
        for (int l = 0; l < levels.length; l++) {
            if (l != level && levels[l].n >= settings.minAlternatives()
                    && (best == null || levels[l].mean() > best.mean())) {
                best = levels[l];
            }
        }
        if (best != null) {
            return best;
        }
        Group rest = all.minus(levels[level]);
        return rest.n >= settings.minAlternatives() ? rest : null;
    }

    private @Nullable Draft evaluate(List<String> conditions, BitSet region, Decision decision, int level,
                                     double[] quality, List<Episode> episodes) {
        Group[] levels = new Group[decision.values.size()];
        for (int l = 0; l < levels.length; l++) {
            levels[l] = new Group();
        }
        for (int i = region.nextSetBit(0); i >= 0; i = region.nextSetBit(i + 1)) {
            int l = decision.level[i];
            if (l >= 0) {
                levels[l].add(quality[i]);
            }
        }
        Group a = levels[level];
        Group b = alternative(levels, level, Group.sum(levels));
        if (a.n < settings.minSupport() || b == null) {
            return null;
        }
        double alternative = b.mean();
        List<UUID> supporting = new ArrayList<>();
        List<UUID> contradicting = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        int wins = 0;
        // Newest first, so the ids kept under the cap are the most recent evidence.
        for (int i = region.previousSetBit(region.length()); i >= 0; i = region.previousSetBit(i - 1)) {
            if (decision.level[i] != level) {
                continue;
            }
            if (decision.raw != null) {
                values.add(decision.raw[i]);
            }
            if (quality[i] > alternative) {
                wins++;
                if (supporting.size() < settings.maxEvidence()) {
                    supporting.add(episodes.get(i).episodeId());
                }
            } else if (contradicting.size() < settings.maxEvidence()) {
                contradicting.add(episodes.get(i).episodeId());
            }
        }
        double confidence = Stats.wilsonLower(wins, a.n, Stats.Z95);
        double z = Stats.welchZ(a.mean(), a.variance(), a.n, b.mean(), b.variance(), b.n);
        Object value;
        double[] range = null;
        if (decision.ranges != null) {
            range = decision.ranges.get(level);
            value = median(values);
        } else {
            value = decision.values.get(level);
        }
        Rule rule = new Rule(List.copyOf(conditions), decision.field, value, range, decision.with(level), round(confidence), round(a.mean()),
                round(b.mean()), a.n, b.n, round(z), List.copyOf(supporting), List.copyOf(contradicting));
        return new Draft(List.copyOf(conditions), region, decision, level, rule);
    }

    // Numbers rounded for storage, so a rerun on the same data stores the very same values.
    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private static Object median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double m = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        boolean integral = true;
        for (double v : sorted) {
            if (v != Math.rint(v)) {
                integral = false;
                break;
            }
        }
        if (integral) {
            return Math.round(m);
        }
        return round(m);
    }

    /** Running count, sum and sum of squares of outcome qualities. */
    private static final class Group {
        int n;
        double sum;
        double squares;

        void reset() {
            n = 0;
            sum = 0;
            squares = 0;
        }

        void add(double q) {
            n++;
            sum += q;
            squares += q * q;
        }

        double mean() {
            return n == 0 ? 0 : sum / n;
        }

        double variance() {
            if (n < 2) {
                return 0;
            }
            return Math.max(0, (squares - sum * sum / n) / (n - 1));
        }

        Group minus(Group other) {
            Group g = new Group();
            g.n = n - other.n;
            g.sum = sum - other.sum;
            g.squares = squares - other.squares;
            return g;
        }

        static Group sum(Group[] groups) {
            Group g = new Group();
            for (Group x : groups) {
                g.n += x.n;
                g.sum += x.sum;
                g.squares += x.squares;
            }
            return g;
        }
    }

    // ---- turning fields into conditions and decisions ----------------------------------------

    private List<Literal> literals(List<Map<String, Object>> rows, int n) {
        TreeSet<String> keys = new TreeSet<>();
        for (Map<String, Object> r : rows) {
            keys.addAll(r.keySet());
        }
        List<Literal> out = new ArrayList<>();
        int feature = 0;
        for (String key : keys) {
            if (!Fields.nameable(key)) {
                continue;
            }
            int numbers = 0;
            int booleans = 0;
            int present = 0;
            for (Map<String, Object> r : rows) {
                Object v = r.get(key);
                if (v != null) {
                    present++;
                    if (v instanceof Number) {
                        numbers++;
                    } else if (v instanceof Boolean) {
                        booleans++;
                    }
                }
            }
            if (present < settings.minSupport()) {
                continue;
            }
            List<Literal> lits;
            if (numbers == present) {
                lits = numeric(key, feature, rows, n);
            } else if (booleans == present) {
                lits = new ArrayList<>();
                for (boolean b : new boolean[] {true, false}) {
                    BitSet bs = new BitSet(n);
                    for (int i = 0; i < n; i++) {
                        if (Boolean.valueOf(b).equals(rows.get(i).get(key))) {
                            bs.set(i);
                        }
                    }
                    lits.add(new Literal(feature, key + " is " + b, bs));
                }
            } else {
                lits = categorical(key, feature, rows, n);
            }
            for (Literal l : lits) {
                if (l.covers.cardinality() >= settings.minSupport()) {
                    out.add(l);
                }
            }
            feature++;
        }
        return out;
    }

    private List<Literal> numeric(String key, int feature, List<Map<String, Object>> rows, int n) {
        double[] x = new double[n];
        BitSet has = new BitSet(n);
        TreeSet<Double> distinct = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            Object v = rows.get(i).get(key);
            if (v instanceof Number num) {
                x[i] = num.doubleValue();
                has.set(i);
                distinct.add(x[i]);
            }
        }
        List<Double> cuts = new ArrayList<>();
        if (distinct.size() < 2) {
            return List.of();
        }
        if (distinct.size() <= 9) {
            cuts.addAll(distinct.tailSet(distinct.first(), false));
        } else {
            double min = distinct.first();
            double max = distinct.last();
            double step = Fields.niceStep(min, max, 10);
            double base = Fields.onGrid(min, step);
            for (int k = 1; k <= 20; k++) {
                double c = Fields.onGrid(base + k * step + step / 2, step);
                if (c > max) {
                    break;
                }
                cuts.add(c);
            }
        }
        List<Literal> out = new ArrayList<>();
        for (double c : cuts) {
            BitSet ge = new BitSet(n);
            BitSet lt = new BitSet(n);
            for (int i = has.nextSetBit(0); i >= 0; i = has.nextSetBit(i + 1)) {
                (x[i] >= c ? ge : lt).set(i);
            }
            String t = Fields.number(c);
            out.add(new Literal(feature, key + " >= " + t, ge));
            out.add(new Literal(feature, key + " < " + t, lt));
        }
        return out;
    }

    private List<Literal> categorical(String key, int feature, List<Map<String, Object>> rows, int n) {
        // The condition language compares text without case, so levels are too.
        Map<String, String> spelling = new TreeMap<>();
        Map<String, BitSet> levels = new TreeMap<>();
        BitSet has = new BitSet(n);
        for (int i = 0; i < n; i++) {
            Object v = rows.get(i).get(key);
            if (v == null) {
                continue;
            }
            String s = v.toString();
            String k = s.toLowerCase(Locale.ROOT);
            spelling.putIfAbsent(k, s);
            levels.computeIfAbsent(k, x -> new BitSet(n)).set(i);
            has.set(i);
            if (levels.size() > settings.maxLevels()) {
                return List.of();
            }
        }
        if (levels.size() < 2) {
            return List.of();
        }
        List<Literal> out = new ArrayList<>();
        for (Map.Entry<String, BitSet> level : levels.entrySet()) {
            String quoted = Fields.quoted(Objects.requireNonNull(spelling.get(level.getKey())));
            if (quoted == null) {
                continue;
            }
            out.add(new Literal(feature, key + " is " + quoted, level.getValue()));
            if (levels.size() >= 3) {
                BitSet not = (BitSet) has.clone();
                not.andNot(level.getValue());
                out.add(new Literal(feature, key + " is not " + quoted, not));
            }
        }
        return out;
    }

    private List<Decision> decisions(List<Map<String, Object>> rows, int n) {
        TreeSet<String> keys = new TreeSet<>();
        for (Map<String, Object> r : rows) {
            keys.addAll(r.keySet());
        }
        List<Decision> out = new ArrayList<>();
        for (String key : keys) {
            int numbers = 0;
            int present = 0;
            TreeSet<Double> distinct = new TreeSet<>();
            for (Map<String, Object> r : rows) {
                Object v = r.get(key);
                if (v != null) {
                    present++;
                    if (v instanceof Number num) {
                        numbers++;
                        if (distinct.size() <= 6) {
                            distinct.add(num.doubleValue());
                        }
                    }
                }
            }
            if (present < settings.minSupport() + settings.minAlternatives()) {
                continue;
            }
            Decision d;
            if (numbers == present && distinct.size() > 6) {
                d = binned(key, rows, n);
            } else {
                d = categories(key, rows, n, numbers == present);
            }
            if (d != null && d.values.size() >= 2) {
                out.add(d);
            }
        }
        List<Decision> categories = new ArrayList<>();
        for (Decision d : out) {
            if (d.ranges == null) {
                categories.add(d);
            }
        }
        if (categories.isEmpty()) {
            return out;
        }
        List<Decision> composed = new ArrayList<>();
        for (Decision d : out) {
            composed.add(d.ranges == null ? d : compose(d, categories, n));
        }
        return composed;
    }

    // A binned number, each bin taken together with the categorical action fields: in a world
    // where "no sprint" goes with 0 tasks, the bin of 0 to 10 tasks would otherwise mix waiting
    // with small sprints.
    private static Decision compose(Decision number, List<Decision> categories, int n) {
        Decision d = new Decision(number.field, n, true);
        Map<String, Integer> index = new TreeMap<>();
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            d.rawValues()[i] = number.rawValues()[i];
            if (number.level[i] < 0) {
                continue;
            }
            StringBuilder key = new StringBuilder();
            boolean complete = true;
            for (Decision c : categories) {
                if (c.level[i] < 0) {
                    complete = false;
                    break;
                }
                key.append(String.format(Locale.ROOT, "%04d|", c.level[i]));
            }
            if (complete) {
                keys[i] = key.append(String.format(Locale.ROOT, "%06d", number.level[i])).toString();
                index.putIfAbsent(keys[i], 0);
            }
        }
        Map<String, Integer> binsPerCategory = new TreeMap<>();
        for (String key : index.keySet()) {
            binsPerCategory.merge(key.substring(0, key.lastIndexOf('|') + 1), 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> e : index.entrySet()) {
            e.setValue(d.values.size());
            String[] parts = e.getKey().split("\\|");
            Map<String, Object> with = new LinkedHashMap<>();
            for (int c = 0; c < categories.size(); c++) {
                with.put(categories.get(c).field, categories.get(c).values.get(Integer.parseInt(parts[c])));
            }
            int bin = Integer.parseInt(parts[parts.length - 1]);
            d.values.add(number.values.get(bin));
            d.binRanges().add(number.binRanges().get(bin));
            d.with.add(with);
            d.testable.add(Objects.requireNonNull(binsPerCategory.get(e.getKey().substring(0, e.getKey().lastIndexOf('|') + 1))) > 1);
        }
        for (int i = 0; i < n; i++) {
            d.level[i] = keys[i] == null ? -1 : Objects.requireNonNull(index.get(keys[i]));
        }
        return d;
    }

    private @Nullable Decision categories(String key, List<Map<String, Object>> rows, int n, boolean numeric) {
        Decision d = new Decision(key, n, false);
        Map<String, Integer> index = new TreeMap<>();
        // Levels in a fixed order (by their text), whatever the order of the episodes.
        TreeMap<String, Object> first = new TreeMap<>();
        for (Map<String, Object> r : rows) {
            Object v = r.get(key);
            if (v != null) {
                first.putIfAbsent(levelKey(v, numeric), numeric ? canonicalNumber((Number) v) : v);
                if (first.size() > settings.maxLevels()) {
                    return null;
                }
            }
        }
        for (Map.Entry<String, Object> e : first.entrySet()) {
            index.put(e.getKey(), d.values.size());
            d.values.add(e.getValue());
        }
        for (int i = 0; i < n; i++) {
            Object v = rows.get(i).get(key);
            d.level[i] = v == null ? -1 : Objects.requireNonNull(index.get(levelKey(v, numeric)));
        }
        return d;
    }

    private static String levelKey(Object v, boolean numeric) {
        if (numeric) {
            return String.format(Locale.ROOT, "%025.10f", ((Number) v).doubleValue() + 1e12);
        }
        return (v instanceof String ? "s:" : "v:") + v;
    }

    private static Object canonicalNumber(Number v) {
        double d = v.doubleValue();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
    }

    private Decision binned(String key, List<Map<String, Object>> rows, int n) {
        Decision d = new Decision(key, n, true);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Map<String, Object> r : rows) {
            if (r.get(key) instanceof Number num) {
                min = Math.min(min, num.doubleValue());
                max = Math.max(max, num.doubleValue());
            }
        }
        double step = Fields.niceStep(min, max, 5);
        double base = Fields.onGrid(min, step);
        Map<Long, Integer> index = new TreeMap<>();
        long[] bin = new long[n];
        for (int i = 0; i < n; i++) {
            if (rows.get(i).get(key) instanceof Number num) {
                d.rawValues()[i] = num.doubleValue();
                bin[i] = (long) Math.floor((num.doubleValue() - base) / step + 1e-9);
                index.putIfAbsent(bin[i], 0);
            } else {
                bin[i] = Long.MIN_VALUE;
            }
        }
        for (Map.Entry<Long, Integer> e : index.entrySet()) {
            e.setValue(d.values.size());
            double lo = Fields.onGrid(base + e.getKey() * step + step / 2, step);
            d.values.add(lo);
            d.binRanges().add(new double[] {lo, Fields.onGrid(lo + step + step / 2, step)});
        }
        for (int i = 0; i < n; i++) {
            d.level[i] = bin[i] == Long.MIN_VALUE ? -1 : Objects.requireNonNull(index.get(bin[i]));
        }
        return d;
    }
}
