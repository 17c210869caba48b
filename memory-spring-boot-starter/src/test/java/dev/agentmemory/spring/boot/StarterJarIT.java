package dev.agentmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar (failsafe runs after {@code package}) carries what Spring Boot and the IDEs read:
 * the auto-configuration list and the generated configuration metadata of every property.
 */
class StarterJarIT {

    @Test
    void theJarHoldsTheAutoConfigurationsAndThePropertyMetadata() throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("agent-memory-spring-boot-starter-[^-]+.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().contains("-sources")).findFirst()
                    .orElseThrow(() -> new AssertionError("no starter jar in target/"));
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            String imports = read(file, "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports");
            assertThat(imports.lines().toList()).containsExactlyInAnyOrder(
                    AgentMemoryAutoConfiguration.class.getName(), AgentMemoryHealthAutoConfiguration.class.getName(),
                    AgentMemoryMetricsAutoConfiguration.class.getName(),
                    "dev.agentmemory.spring.ai.AgentMemoryToolsAutoConfiguration");
            String metadata = read(file, "META-INF/spring-configuration-metadata.json");
            for (String property : List.of("agent-memory.store", "agent-memory.embedder", "agent-memory.embedding-url",
                    "agent-memory.embedding-model", "agent-memory.dimensions", "agent-memory.migrate",
                    "agent-memory.min-similarity", "agent-memory.store-properties", "agent-memory.backfill-interval",
                    "agent-memory.health-timeout", "agent-memory.tools.enabled")) {
                assertThat(metadata).as("metadata of " + property).contains("\"name\": \"" + property + "\"");
            }
            // The descriptions come from the properties' Javadoc.
            assertThat(metadata).contains("The store backend, by its provider's name");
        }
    }

    private static String read(JarFile file, String entry) throws IOException {
        var e = file.getJarEntry(entry);
        assertThat(e).as(entry + " in the jar").isNotNull();
        try (InputStream in = file.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
