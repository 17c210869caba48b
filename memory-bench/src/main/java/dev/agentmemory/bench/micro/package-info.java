/**
 * JMH micro benchmarks: the vector codec, the text an episode is embedded as, and the in-memory
 * search. {@code dev.agentmemory.bench.Bench} runs them through JMH's runner (one forked JVM each)
 * and puts their scores in its report.
 */
@NullMarked
package dev.agentmemory.bench.micro;

import org.jspecify.annotations.NullMarked;
