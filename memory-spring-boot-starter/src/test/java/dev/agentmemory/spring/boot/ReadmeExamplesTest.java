package dev.agentmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's Spring Boot section holds the example files verbatim, so what it shows is what
 * {@code InMemoryApplicationTest} and {@code PostgresApplicationIT} run and this module compiles.
 */
class ReadmeExamplesTest {

    @Test
    void theReadmeHoldsTheExampleApplicationItsPropertiesAndTheAgentVerbatim() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String example : List.of("java/com/example/planner/PlannerApplication.java",
                "resources/planner.properties", "java/com/example/agent/PlannerAgent.java")) {
            String code = Files.readString(Path.of("src", "test").resolve(example));
            assertThat(readme).as(example + " in README.md").contains(code);
        }
    }
}
