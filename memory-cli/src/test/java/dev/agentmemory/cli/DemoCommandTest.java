package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void theDemoShowsQualityStrategiesARecallAndTimings() {
        Cli.Run r = Cli.inMemory().run("demo", "--projects", "2", "--sprints", "10", "--seed", "7");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("agent-memory demo: 2 projects x 10 sprints, seed 7",
                "Decision quality as memory grew", "first fifth", "Strategies learned",
                "Example recall", "Decisions: 20 (2 projects x 10 sprints), episodes stored: 20",
                "Timings", "recall           p50");
        assertThat(r.err()).contains("simulating");
    }

    @Test
    void theSameSeedPrintsTheSameNumbersTimingsAside() {
        Cli.Run first = Cli.inMemory().run("demo", "--projects", "3", "--sprints", "10", "--no-timings");
        Cli.Run second = Cli.inMemory().run("demo", "--projects", "3", "--sprints", "10", "--no-timings");
        Cli.Run otherSeed = Cli.inMemory().run("demo", "--projects", "3", "--sprints", "10", "--no-timings",
                "--seed", "8");
        assertThat(first.exit()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(otherSeed.out()).isNotEqualTo(first.out());
        assertThat(first.out()).doesNotContain("Timings");
    }

    @Test
    void aMemoryThatHoldsEpisodesAlreadyIsRefusedWithExitTwo() {
        Cli cli = Cli.inMemory();
        assertThat(cli.run("demo", "--projects", "1", "--sprints", "2").exit()).isZero();
        Cli.Run again = cli.run("demo", "--projects", "1", "--sprints", "2");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err().strip().lines()).hasSize(1).first().asString().contains("needs an empty memory");
    }
}
