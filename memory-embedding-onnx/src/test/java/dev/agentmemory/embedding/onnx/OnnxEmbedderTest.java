package dev.agentmemory.embedding.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.InvalidInputException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Runs the real model: no mocks. */
class OnnxEmbedderTest {

    private final OnnxEmbedder embedder = new OnnxEmbedder();

    @Test
    void sameTextGivesTheSameVectorEveryTime() {
        String text = "The team committed to more tasks than it could finish in the sprint.";

        float[] first = embedder.embed(text);
        float[] second = embedder.embed(text);
        float[] fromAnotherInstance = new OnnxEmbedder().embed(text);

        assertThat(second).containsExactly(first);
        assertThat(fromAnotherInstance).containsExactly(first);
    }

    @Test
    void vectorsHaveTheDeclaredSizeUnitLengthAndFiniteComponents() {
        List<String> texts = List.of("sprint", "Velocity dropped by a third compared with the previous sprint.",
                "Café 😀 naïve résumé 日本語", "!!!", "12345", "a".repeat(5000));

        for (String text : texts) {
            float[] v = embedder.embed(text);

            assertThat(v).hasSize(embedder.dimensions()).hasSize(384);
            double sum = 0;
            for (float x : v) {
                assertThat(Float.isFinite(x)).as("finite component for %s", text).isTrue();
                sum += (double) x * x;
            }
            assertThat(Math.sqrt(sum)).as("norm for %s", text).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void modelNameAndDimensionsAreKnownWithoutLoadingTheModel() throws Exception {
        // A fresh JVM: in this one another test may have loaded the model already.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LazyLoadProbe.class.getName())
                .redirectErrorStream(true)
                .start();
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            lines = r.lines().collect(Collectors.toList());
        }
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(lines).contains("dimensions=384", "modelName=" + OnnxEmbedder.MODEL_NAME,
                "loadedBeforeEmbed=false", "loadedAfterEmbed=true", "otherModelLoaded=false",
                "miniLmName=all-MiniLM-L6-v2-q", "otherModelLoadedAfterItsEmbed=true");
        assertThat(lines).anyMatch(l -> l.contains("Loaded embedding model " + OnnxEmbedder.MODEL_NAME))
                .anyMatch(l -> l.contains("Loaded embedding model all-MiniLM-L6-v2-q"));
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() {
        List<ParaphraseSet.Pair> pairs = List.of(ParaphraseSet.PAIRS.get(0), ParaphraseSet.PAIRS.get(2),
                ParaphraseSet.PAIRS.get(10), ParaphraseSet.PAIRS.get(16), ParaphraseSet.PAIRS.get(25));
        List<String> unrelated = new ArrayList<>(ParaphraseSet.OFF_TOPIC.subList(0, 4));
        for (ParaphraseSet.Pair pair : pairs) {
            unrelated.add(pair.first());
        }

        for (ParaphraseSet.Pair pair : pairs) {
            float[] a = embedder.embed(pair.first());
            double paraphrase = dot(a, embedder.embed(pair.second()));
            for (String other : unrelated) {
                if (other.equals(pair.first())) {
                    continue;
                }
                assertThat(paraphrase).as("'%s' vs its paraphrase and vs '%s'", pair.first(), other)
                        .isGreaterThan(dot(a, embedder.embed(other)));
            }
        }
    }

    @Test
    void wholeParaphraseSetSeparatesParaphrasesFromOtherSituations() {
        // Guards the choice of model: see docs/embedding-models.md for the figures it was chosen by.
        ParaphraseSet.Quality q = ParaphraseSet.score(embedder.embedAll(ParaphraseSet.allSentences()));

        assertThat(q.nearestIsParaphrase()).isGreaterThanOrEqualTo(0.7);
        assertThat(q.meanParaphrase()).isGreaterThan(q.meanSameTopic() + 0.15);
        assertThat(q.meanSameTopic()).isGreaterThan(q.meanOffTopic());
        assertThat(q.paraphraseAboveDefault()).isGreaterThanOrEqualTo(0.75);
        assertThat(q.sameTopicAboveDefault()).isLessThan(0.05);
    }

    @Test
    void batchGivesTheSameVectorsAsSingleCallsInTheSameOrder() {
        List<String> texts = new ArrayList<>(ParaphraseSet.allSentences().subList(0, 20));
        texts.add(texts.get(3)); // a repeat must come back at its own place

        List<float[]> batch = embedder.embedAll(texts);

        assertThat(batch).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[] single = embedder.embed(texts.get(i));
            for (int d = 0; d < single.length; d++) {
                assertThat(batch.get(i)[d]).as("text %d component %d", i, d)
                        .isCloseTo(single[d], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void batchOfOneAndEmptyBatch() {
        assertThat(embedder.embedAll(List.of())).isEmpty();

        List<float[]> one = embedder.embedAll(List.of("Launch day has been brought forward by a fortnight."));

        assertThat(one).hasSize(1);
        assertThat(one.get(0)).containsExactly(embedder.embed("Launch day has been brought forward by a fortnight."));
    }

    @Test
    void blankOrMissingTextIsRejected() {
        for (String blank : new String[] {"", " ", "\n\t  "}) {
            assertThatThrownBy(() -> embedder.embed(blank))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("text"));
        }
        assertThatThrownBy(() -> embedder.embed(nothing()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("text"));
    }

    @Test
    void blankTextInABatchIsRejectedByIndexBeforeAnythingIsEmbedded() {
        List<String> texts = Arrays.asList("Sprint review went well.", "The build is red.", "   ", "Fine.");

        assertThatThrownBy(() -> embedder.embedAll(texts))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("texts[2]");
                    assertThat(e.getMessage()).contains("texts[2]", "blank");
                });
        assertThatThrownBy(() -> embedder.embedAll(Arrays.asList("ok", nothing())))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("texts[1]"));
        assertThatThrownBy(() -> embedder.embedAll(nothing()))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("texts"));
    }

    @Test
    void textLongerThanTheModelReadsIsEmbeddedFromItsBeginning() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 4000; i++) {
            b.append("Sprint ").append(i).append(" was planned with the usual number of tasks. ");
        }
        String beginning = b.toString();
        String tail = " The weather in the mountains was wonderful and the orchestra played Brahms.";

        float[] whole = embedder.embed(beginning + tail);
        float[] onlyBeginning = embedder.embed(beginning);

        // The beginning alone is already past 512 word pieces, so the tail is never read.
        for (int d = 0; d < whole.length; d++) {
            assertThat(whole[d]).isCloseTo(onlyBeginning[d], org.assertj.core.data.Offset.offset(1e-5f));
        }
        assertThat(embedder.embedAll(List.of("short", beginning + tail)).get(1)).hasSize(384);
    }

    @Test
    void veryLongTextDoesNotFail() {
        String huge = "The backlog keeps growing while the team fixes production bugs. ".repeat(5000);

        float[] v = embedder.embed(huge);

        assertThat(v).hasSize(384);
        assertThat(Math.sqrt(dot(v, v))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void aTextOfMegabytesIsCutBeforeTheTokenizerSeesIt() {
        String page = "The backlog keeps growing while the team fixes production bugs. ";
        String huge = page.repeat(7 * 1024 * 1024 / page.length());
        String beginning = huge.substring(0, LoadedModel.maxChars(OnnxEmbedder.Model.BGE_SMALL_EN_V15_Q));
        embedder.embed("warm up");

        long start = System.nanoTime();
        float[] v = embedder.embed(huge);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(v).containsExactly(embedder.embed(beginning));
        // Tokenizing all 7 MB took 9 s on an idle machine (and 700 MB of native memory); a page
        // takes milliseconds. The bound leaves room for a loaded machine.
        assertThat(millis).as("milliseconds to embed a 7 MB text").isLessThan(5_000);
    }

    @Test
    void cutFallsBetweenWordsAndCountsCharactersOutsideTheBasicPlane() {
        // Emoji are two UTF-16 units but one code point, the tokenizer's unit: the cut must still
        // land where the tokenizer stopped.
        String text = "naïve 😀 résumé velocity planning for sprint 😀 twelve, ".repeat(200);
        LoadedModel model = LoadedModel.get(OnnxEmbedder.Model.BGE_SMALL_EN_V15_Q);

        String part = model.readablePart(text);

        assertThat(part.length()).isLessThan(text.length());
        assertThat(text).startsWith(part);
        int end = part.length();
        boolean betweenWords = !Character.isLetterOrDigit(text.codePointBefore(end))
                || !Character.isLetterOrDigit(text.codePointAt(end));
        assertThat(betweenWords).as("cut at %d: ...%s|%s...", end,
                part.substring(Math.max(0, end - 10)), text.substring(end, end + 10)).isTrue();
        assertThat(model.readablePart(part)).as("the cut text is read whole").isEqualTo(part);
        assertThat(part.length()).as("most of what fits is kept").isGreaterThan(text.length() / 200 * 20);
    }

    @Test
    void textThatFitsIsReadWhole() {
        String text = "The release was postponed because the tests kept failing. 😀";

        assertThat(LoadedModel.get(OnnxEmbedder.Model.BGE_SMALL_EN_V15_Q).readablePart(text)).isEqualTo(text);
    }

    @Test
    void eightThreadsAtOnceGetTheVectorsOfSequentialCalls() throws Exception {
        List<String> texts = ParaphraseSet.allSentences().subList(0, 24);
        List<float[]> sequential = new ArrayList<>();
        for (String t : texts) {
            sequential.add(embedder.embed(t));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<float[]>>> futures = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                boolean batch = thread % 2 == 0;
                int offset = thread * 3;
                Callable<List<float[]>> work = () -> {
                    start.await();
                    // each thread starts at another text, so that different texts run at once
                    List<String> rotated = rotate(texts, offset);
                    List<float[]> out;
                    if (batch) {
                        out = embedder.embedAll(rotated);
                    } else {
                        out = new ArrayList<>();
                        for (String t : rotated) {
                            out.add(embedder.embed(t));
                        }
                    }
                    return rotate(out, texts.size() - offset);
                };
                futures.add(pool.submit(work));
            }
            start.countDown();
            for (Future<List<float[]>> f : futures) {
                List<float[]> got = f.get(2, TimeUnit.MINUTES);
                for (int i = 0; i < texts.size(); i++) {
                    for (int d = 0; d < 384; d++) {
                        assertThat(got.get(i)[d]).isCloseTo(sequential.get(i)[d], org.assertj.core.data.Offset.offset(1e-6f));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cutTextIsReportedAtWarnWithItsLengthButNotItsContent() {
        String secret = "Zanzibarquartermaster";
        String text = (secret + " planned the sprint with the usual number of tasks. ").repeat(120);
        java.io.PrintStream previous = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        // slf4j-simple writes to whatever System.err is at the time of each line
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            embedder.embed(text);
            embedder.embedAll(List.of("short", text));
        } finally {
            System.setErr(previous);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(log).contains("WARN", "text of " + text.length() + " characters is longer than the 512 word pieces",
                "1 of 2 texts are longer than the 512 word pieces", "indexes [1]");
        assertThat(log.toLowerCase(java.util.Locale.ROOT)).doesNotContain(secret.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void batchThreadsAreDaemonsSoTheyNeverKeepAJvmAlive() {
        embedder.embedAll(ParaphraseSet.allSentences());

        List<Thread> pool = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("agent-memory-onnx-")).collect(Collectors.toList());

        assertThat(pool).isNotEmpty().allMatch(Thread::isDaemon);
    }

    @Test
    void healthCheckIsTrueWhenTheModelRuns() {
        assertThat(embedder.healthCheck()).isTrue();
    }

    private static <T> List<T> rotate(List<T> list, int by) {
        List<T> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(list.get((i + by) % list.size()));
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static <T> T nothing() {
        return (T) null;
    }
}
