package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableTest {

    private static List<String> print(Table table, int width) {
        StringWriter s = new StringWriter();
        table.print(new PrintWriter(s), width);
        return s.toString().lines().toList();
    }

    @Test
    void aNarrowTerminalCutsTheWidestColumnWithAnEllipsis() {
        Table t = new Table("#>", "project", "decision");
        t.row(1, "acme", "sprint_created=true tasks_assigned=8 reason=the backlog holds many tasks and the team is here");
        List<String> lines = print(t, 40);
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(40));
        assertThat(lines.get(1)).startsWith("1  acme     sprint_created=true").endsWith("…").hasSize(40);
    }

    @Test
    void aWideTerminalShowsEverythingAndAlignsNumbersRight() {
        Table t = new Table("project", "episodes>");
        t.row("acme", 1200).row("beta", 7);
        assertThat(print(t, 100)).containsExactly("project  episodes", "acme         1200", "beta            7");
    }

    @Test
    void newlinesInsideACellDoNotBreakTheRow() {
        Table t = new Table("a", "b");
        t.row("x\ny", "z");
        assertThat(print(t, 100)).containsExactly("a    b", "x y  z");
    }

    @Test
    void theWidthComesFromColumnsOrIsOneHundred() {
        assertThat(Table.width(Map.of("COLUMNS", "132"))).isEqualTo(132);
        assertThat(Table.width(Map.of())).isEqualTo(100);
        assertThat(Table.width(Map.of("COLUMNS", "wide"))).isEqualTo(100);
    }
}
