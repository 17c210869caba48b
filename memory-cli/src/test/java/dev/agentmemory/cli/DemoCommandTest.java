package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void theDemoShowsBothAgentsTheRulesLearnedAdviceAndTimings() {
        Cli.Run r = Cli.inMemory().run("demo", "--projects", "2", "--sprints", "10", "--seed", "7");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("agent-memory demo: world scrum, 2 projects x 10 decisions, seed 7",
                "Decision quality over time", "without memory", "with memory", "last third",
                "What the library learned", "hidden rules", "Example advice",
                "20 decisions per agent (2 projects x 10), episodes stored: 20",
                "Timings", "advise           p50", "consolidate");
        assertThat(r.err()).contains("simulating");
    }

    @Test
    void anotherWorldLearnsItsOwnRules() {
        Cli.Run r = Cli.inMemory().run("demo", "--world", "oncall", "--projects", "4", "--sprints", "60",
                "--no-timings");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("world oncall", "When error_rate >= 20: take rollback = true",
                "When error_rate < 20: take rollback = false").doesNotContain("sprint");
    }

    @Test
    void anUnknownWorldIsRefusedWithTheNamesOfTheWorlds() {
        Cli.Run r = Cli.inMemory().run("demo", "--world", "mars");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--world", "'mars' is not a world", "scrum, oncall, inventory");
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
