package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InitCommandTest {

    @Test
    void theInMemoryStoreHasNoSchemaToCreate() {
        Cli.Run r = Cli.inMemory().run("init");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("no schema to create or upgrade: inmemory");
    }

    @Test
    void anUnknownStoreFailsWithTheNamesFound() {
        Cli.Run r = Cli.unshared().run("init", "--store", "mongo");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown store 'mongo'; found: inmemory");
    }
}
