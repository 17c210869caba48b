/**
 * The benchmarks: {@link dev.agentmemory.bench.Bench} runs the end-to-end scenarios and the JMH
 * micro benchmarks of {@code dev.agentmemory.bench.micro}, side by side with the peers, and writes
 * {@code results.json}, {@code report.md} and charts; {@link dev.agentmemory.bench.RetrievalQualityBenchmark}
 * measures how well recall ranks. None of them is a test: machines are too noisy for timed
 * assertions, so numbers go to a report.
 */
@NullMarked
package dev.agentmemory.bench;

import org.jspecify.annotations.NullMarked;
