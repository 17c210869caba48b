package dev.agentmemory.bench.micro;

import com.pgvector.PGvector;
import java.sql.SQLException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * pgvector's codec as the PostgreSQL store uses it: a 384-dimension {@code float[]} to the
 * {@code vector} type's text form ({@code [0.1,0.2,...]}) and binary form and back, through
 * pgvector-java's {@link PGvector}, which the store's type handler writes and reads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VectorCodecBenchmark {

    private float[] vector = new float[0];
    private String text = "";
    private byte[] bytes = new byte[0];

    @Setup
    public void setUp() {
        Random r = new Random(1);
        vector = new float[384];
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) r.nextGaussian();
            norm += vector[i] * vector[i];
        }
        for (int i = 0; i < vector.length; i++) {
            vector[i] /= (float) Math.sqrt(norm);
        }
        PGvector v = new PGvector(vector);
        text = v.getValue();
        bytes = new byte[v.lengthInBytes()];
        v.toBytes(bytes, 0);
    }

    @Benchmark
    public String encodeText() {
        return new PGvector(vector).getValue();
    }

    @Benchmark
    public float[] decodeText() throws SQLException {
        return new PGvector(text).toArray();
    }

    @Benchmark
    public byte[] encodeBinary() {
        PGvector v = new PGvector(vector);
        byte[] out = new byte[v.lengthInBytes()];
        v.toBytes(out, 0);
        return out;
    }

    @Benchmark
    public float[] decodeBinary() throws SQLException {
        PGvector v = new PGvector();
        v.setByteValue(bytes, 0);
        return v.toArray();
    }
}
