package dev.agentmemory.embedding.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * How ONNX Runtime runs a model and how a batch is cut into runs. {@link #DEFAULT} is what
 * {@link OnnxEmbedder} uses; the others exist to be measured against it
 * ({@code SpeedComparison} in the tests, {@code docs/embedding-models.md} for the figures).
 *
 * @param intraOpThreads threads one operator may use; 0 lets the runtime choose (one per
 *     physical core)
 * @param interOpThreads threads for independent operators; only read when {@code parallelExecution}
 * @param spinning whether the runtime's threads spin between operators instead of sleeping: a few
 *     microseconds saved per operator on an idle machine, a core burnt on a shared one
 * @param optimisation the graph optimisation level
 * @param memoryPattern whether the runtime plans its buffers from the first run of each input
 *     shape; texts of varying length make many shapes
 * @param parallelExecution whether independent operators may run at once
 * @param maxBatchTexts the most texts in one run of {@code embedAll}
 * @param maxBatchTokens the most word pieces, padding included, in one run of {@code embedAll}: a
 *     run of long texts takes fewer of them, which bounds the attention's memory
 * @param batchThreads how many runs of one {@code embedAll} go at once, on daemon threads; 1 runs
 *     them one after the other on the caller's thread
 */
record RuntimeSettings(int intraOpThreads, int interOpThreads, boolean spinning, OptLevel optimisation,
        boolean memoryPattern, boolean parallelExecution, int maxBatchTexts, int maxBatchTokens, int batchThreads) {

    /**
     * What {@link OnnxEmbedder} runs with (measured side by side, {@code docs/embedding-models.md}):
     * <ul>
     * <li>One thread per run: splitting a run of a short text over 2 cores did not make it faster
     *     (the threads wait for each other some hundred times a run) and cost 10 to 20% more CPU;
     *     spinning threads, the runtime's default, doubled the time on a shared machine.</li>
     * <li>One text per run, the runs of one {@code embedAll} on one thread per core: the quantised
     *     models scale their activations by the range of the whole run, so padding a text or running
     *     it beside others moves its vector (cosine 0.985 to 0.995 to itself alone), and a padded
     *     batch, which saved 10 to 20% of the CPU, would no longer give each text its own vector.</li>
     * </ul>
     */
    static final RuntimeSettings DEFAULT = new RuntimeSettings(1, 1, false, OptLevel.ALL_OPT, true, false, 1, 4096,
            Math.max(1, Runtime.getRuntime().availableProcessors()));

    RuntimeSettings {
        if (intraOpThreads < 0 || interOpThreads < 0 || maxBatchTexts < 1 || maxBatchTokens < 1 || batchThreads < 1) {
            throw new IllegalArgumentException("thread counts must be >= 0 and batch limits >= 1: " + this);
        }
    }

    RuntimeSettings withIntraOpThreads(int value) {
        return new RuntimeSettings(value, interOpThreads, spinning, optimisation, memoryPattern,
                parallelExecution, maxBatchTexts, maxBatchTokens, batchThreads);
    }

    RuntimeSettings withSpinning(boolean value) {
        return new RuntimeSettings(intraOpThreads, interOpThreads, value, optimisation, memoryPattern,
                parallelExecution, maxBatchTexts, maxBatchTokens, batchThreads);
    }

    RuntimeSettings withOptimisation(OptLevel value) {
        return new RuntimeSettings(intraOpThreads, interOpThreads, spinning, value, memoryPattern,
                parallelExecution, maxBatchTexts, maxBatchTokens, batchThreads);
    }

    RuntimeSettings withMemoryPattern(boolean value) {
        return new RuntimeSettings(intraOpThreads, interOpThreads, spinning, optimisation, value,
                parallelExecution, maxBatchTexts, maxBatchTokens, batchThreads);
    }

    RuntimeSettings withParallelExecution(int interOp) {
        return new RuntimeSettings(intraOpThreads, interOp, spinning, optimisation, memoryPattern,
                true, maxBatchTexts, maxBatchTokens, batchThreads);
    }

    RuntimeSettings withBatch(int texts, int tokens) {
        return new RuntimeSettings(intraOpThreads, interOpThreads, spinning, optimisation, memoryPattern,
                parallelExecution, texts, tokens, batchThreads);
    }

    RuntimeSettings withBatchThreads(int value) {
        return new RuntimeSettings(intraOpThreads, interOpThreads, spinning, optimisation, memoryPattern,
                parallelExecution, maxBatchTexts, maxBatchTokens, value);
    }

    /** @return session options to match; the caller closes them */
    SessionOptions toSessionOptions() throws OrtException {
        SessionOptions options = new SessionOptions();
        try {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(interOpThreads);
            options.setExecutionMode(parallelExecution
                    ? SessionOptions.ExecutionMode.PARALLEL : SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(optimisation);
            options.setMemoryPatternOptimization(memoryPattern);
            options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
            options.addConfigEntry("session.inter_op.allow_spinning", spinning ? "1" : "0");
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** @return a short label for measurement tables */
    String label() {
        return "intra=" + (intraOpThreads == 0 ? "auto" : intraOpThreads)
                + (parallelExecution ? " parallel inter=" + interOpThreads : "")
                + " spin=" + (spinning ? "on" : "off")
                + " opt=" + optimisation.name().replace("_OPT", "").toLowerCase(java.util.Locale.ROOT)
                + " mempattern=" + (memoryPattern ? "on" : "off")
                + " batch=" + maxBatchTexts + "/" + maxBatchTokens + (batchThreads > 1 ? " x" + batchThreads + " threads" : "");
    }
}
