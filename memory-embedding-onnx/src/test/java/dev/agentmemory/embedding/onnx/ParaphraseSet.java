package dev.agentmemory.embedding.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * A small hand-written paraphrase set about sprint planning and project situations, the kind of
 * text agent-memory embeds. Many pairs share a topic with other pairs (overload, absence, delays),
 * so the other pairs are hard distractors; the off-topic sentences are easy ones.
 */
final class ParaphraseSet {

    private ParaphraseSet() {
    }

    /** Two wordings of one situation. */
    record Pair(String first, String second) {
    }

    static final List<Pair> PAIRS = List.of(
            new Pair("The team committed to more tasks than it could finish in the sprint.",
                    "The sprint was overloaded: the developers took on more work than they could complete."),
            new Pair("Velocity dropped by a third compared with the previous sprint.",
                    "The team delivered about 30 percent fewer story points than last sprint."),
            new Pair("Two developers are on vacation next week, so capacity is reduced.",
                    "With two engineers away on holiday next week, the team has less time available."),
            new Pair("The backlog has no refined stories ready for the next sprint.",
                    "Nothing in the backlog is groomed enough to be planned into the coming iteration."),
            new Pair("A critical production bug interrupted the sprint and took two days to fix.",
                    "An urgent outage in production pulled the team away from sprint work for two days."),
            new Pair("The product owner changed the priorities in the middle of the sprint.",
                    "Halfway through the iteration, the business reshuffled what mattered most."),
            new Pair("Many tasks were blocked waiting for another team's API.",
                    "Much of the work stalled because we depended on an interface owned by a different team."),
            new Pair("The sprint goal was met and every planned story was accepted.",
                    "We achieved the iteration objective; all committed stories passed review."),
            new Pair("Estimates were far too optimistic; most tasks took twice as long as planned.",
                    "We badly underestimated the work: the majority of tickets needed double the expected time."),
            new Pair("A new developer joined the team and needs time to onboard.",
                    "We have a fresh hire who is still getting up to speed with the codebase."),
            new Pair("The release was postponed because the tests kept failing.",
                    "We delayed shipping the version since the test suite was unstable."),
            new Pair("Technical debt in the payment module slows down every change.",
                    "Old shortcuts in the billing code make each modification take longer."),
            new Pair("The client asked for a demo at the end of this sprint.",
                    "The customer wants to see a presentation of the product when this iteration ends."),
            new Pair("Stand-up meetings run over thirty minutes every day.",
                    "Our daily sync regularly lasts more than half an hour."),
            new Pair("The team split a large epic into smaller stories before planning.",
                    "Before the planning session, the big feature was broken down into several small user stories."),
            new Pair("Code reviews are piling up and nobody has time to do them.",
                    "Pull requests wait for days because reviewers are too busy."),
            new Pair("The deadline for the launch moved two weeks earlier.",
                    "Launch day has been brought forward by a fortnight."),
            new Pair("The database migration failed in staging and must be redone.",
                    "Moving the schema in the pre-production environment broke, so we have to run it again."),
            new Pair("Half of the sprint capacity is reserved for support tickets.",
                    "Fifty percent of the team's time this iteration goes to handling customer issues."),
            new Pair("The designer has not delivered the mockups yet, so front-end work cannot start.",
                    "UI development is on hold because the screen designs are still missing."),
            new Pair("Assign fewer tasks to the team because the last three sprints overran.",
                    "Plan a lighter load, since the previous three iterations all ran late."),
            new Pair("Create a new sprint now that the current one has ended.",
                    "The iteration is over, so start the next one."),
            new Pair("The security audit found vulnerabilities that must be fixed before release.",
                    "Penetration testers reported weaknesses we have to patch prior to shipping."),
            new Pair("Morale is low after weeks of overtime.",
                    "People are demotivated because they have been working late for a long time."),
            new Pair("The team finished early and pulled extra stories from the backlog.",
                    "Having completed the plan ahead of schedule, the developers picked up additional items."),
            new Pair("The build server is down and nobody can deploy.",
                    "Our CI machine has crashed, so deployments are impossible."),
            new Pair("Requirements for the reporting feature are still unclear.",
                    "Nobody knows exactly what the reporting functionality should do yet."),
            new Pair("The team lead is ill and will be absent for the whole sprint.",
                    "Our lead is sick and will miss the entire iteration."),
            new Pair("Performance tests show the page loads in eight seconds.",
                    "Load testing revealed that the page takes eight seconds to render."),
            new Pair("Sprints are too short to finish any feature end to end.",
                    "The iterations don't last long enough to complete a feature fully."));

    /** Sentences about nothing in the pairs. */
    static final List<String> OFF_TOPIC = List.of(
            "The recipe calls for two cups of flour and a pinch of salt.",
            "It rained all weekend in the mountains.",
            "The museum opens at nine on Saturdays.",
            "My cat sleeps on the windowsill every afternoon.",
            "The orchestra played a symphony by Brahms.",
            "Tomatoes grow best in full sun.",
            "The train to the airport leaves every fifteen minutes.",
            "She painted the kitchen walls pale yellow.",
            "The football match ended in a draw.",
            "Whales migrate thousands of kilometres each year.",
            "The library extended its opening hours for exams.",
            "He bought a new pair of running shoes.");

    /** @return every sentence: the pairs' first and second sentences in order, then the off-topic ones */
    static List<String> allSentences() {
        List<String> all = new ArrayList<>();
        for (Pair p : PAIRS) {
            all.add(p.first());
            all.add(p.second());
        }
        all.addAll(OFF_TOPIC);
        return all;
    }

    /**
     * How well vectors separate paraphrases from everything else.
     *
     * @param nearestIsParaphrase the fraction of sentences (both sides of every pair) whose
     *     paraphrase is nearer than every other sentence of the set
     * @param meanParaphrase mean cosine of the paraphrase pairs
     * @param meanSameTopic mean cosine between sentences of different pairs
     * @param meanOffTopic mean cosine between a pair sentence and an off-topic one
     * @param paraphraseAboveDefault the fraction of paraphrase pairs at or above
     *     {@link #DEFAULT_MIN_SIMILARITY}, the similarity recall asks for unless configured
     * @param sameTopicAboveDefault the fraction of sentences of different pairs at or above it
     */
    record Quality(double nearestIsParaphrase, double meanParaphrase, double meanSameTopic, double meanOffTopic,
                   double paraphraseAboveDefault, double sameTopicAboveDefault) {
    }

    /** The minimum similarity of {@code findSimilarEpisodes} and recall in the API contract. */
    static final double DEFAULT_MIN_SIMILARITY = 0.7;

    /**
     * @param vectors the vectors of {@link #allSentences()}, in that order
     * @return the quality measures
     */
    static Quality score(List<float[]> vectors) {
        int pairs = PAIRS.size();
        int pairSentences = 2 * pairs;
        int hits = 0;
        double paraphraseSum = 0;
        double sameTopicSum = 0;
        int sameTopicCount = 0;
        double offTopicSum = 0;
        int offTopicCount = 0;
        int paraphraseAbove = 0;
        int sameTopicAbove = 0;
        for (int i = 0; i < pairSentences; i++) {
            int partner = i % 2 == 0 ? i + 1 : i - 1;
            double toPartner = cosine(vectors.get(i), vectors.get(partner));
            double nearestOther = -2;
            for (int j = 0; j < vectors.size(); j++) {
                if (j == i || j == partner) {
                    continue;
                }
                double c = cosine(vectors.get(i), vectors.get(j));
                nearestOther = Math.max(nearestOther, c);
                if (j < pairSentences && j > i) {
                    sameTopicSum += c;
                    sameTopicCount++;
                    if (c >= DEFAULT_MIN_SIMILARITY) {
                        sameTopicAbove++;
                    }
                } else if (j >= pairSentences) {
                    offTopicSum += c;
                    offTopicCount++;
                }
            }
            if (toPartner > nearestOther) {
                hits++;
            }
            if (i % 2 == 0) {
                paraphraseSum += toPartner;
                if (toPartner >= DEFAULT_MIN_SIMILARITY) {
                    paraphraseAbove++;
                }
            }
        }
        return new Quality((double) hits / pairSentences, paraphraseSum / pairs,
                sameTopicSum / sameTopicCount, offTopicSum / offTopicCount,
                (double) paraphraseAbove / pairs, (double) sameTopicAbove / sameTopicCount);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** @return a copy of the vector scaled to length 1 */
    static float[] normalised(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double norm = Math.sqrt(sum);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }
}
