package dev.agentmemory.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentMemoryTest {

    @Test
    void theDefaultIsTheInMemoryStoreWithTheLocalModel() {
        try (AgentMemorySystem memory = AgentMemory.builder().build()) {
            assertThat(memory.embedder().dimensions()).isEqualTo(384);
            assertThat(memory.episodes().dimensions()).isEqualTo(384);
            assertThat(memory.describe()).contains("384");
            assertThat(memory.hasKnowledge()).isTrue();
            assertThat(memory.hasWorkingMemory()).isTrue();
        }
    }

    @Test
    void anUnknownStoreNameFailsWithTheNamesFound() {
        assertThatThrownBy(() -> AgentMemory.builder().store("cassandra").embedder(new LocalModel()).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown store 'cassandra'")
                .hasMessageContaining("inmemory");
    }

    @Test
    void anUnknownEmbedderNameFailsWithTheNamesFound() {
        assertThatThrownBy(() -> AgentMemory.builder().embedder("word2vec").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown embedder 'word2vec'")
                .hasMessageContaining("onnx");
    }

    @Test
    void aStoreDimensionOtherThanTheEmbeddersIsRefusedNamingBoth() {
        assertThatThrownBy(() -> AgentMemory.builder().embedder(new LocalModel()).dimensions(1024).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("384").hasMessageContaining("1024");
    }

    @Test
    void theEnvironmentConfiguresTheBuilderAndThePasswordIsNeverShown() {
        AgentMemoryConfig config = AgentMemory.builder().fromEnvironment(Map.of(
                "AGENT_MEMORY_STORE", "postgres",
                "AGENT_MEMORY_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/db?password=hunter2",
                "AGENT_MEMORY_DB_USER", "orchestrator",
                "AGENT_MEMORY_DB_PASSWORD", "s3cret",
                "AGENT_MEMORY_EMBEDDER", "service",
                "AGENT_MEMORY_EMBEDDING_URL", "http://127.0.0.1:8088",
                "AGENT_MEMORY_EMBEDDING_MODEL", "bge-m3")).config();
        assertThat(config.storeName()).isEqualTo("postgres");
        assertThat(config.username()).isEqualTo("orchestrator");
        assertThat(config.password()).isEqualTo("s3cret");
        assertThat(config.embedderName()).isEqualTo("service");
        assertThat(config.embedderConfig().url()).contains("http://127.0.0.1:8088");
        assertThat(config.embedderConfig().model()).contains("bge-m3");
        assertThat(config.toString()).doesNotContain("s3cret").doesNotContain("hunter2").contains("orchestrator");
    }

    @Test
    void guiceUsersGetTheSameSingletonsTheBuilderAssembles() {
        Injector injector = Guice.createInjector(new AgentMemoryModule(
                AgentMemory.builder().embedder(new LocalModel()).config()));
        AgentMemorySystem memory = injector.getInstance(AgentMemorySystem.class);
        try {
            assertThat(injector.getInstance(AgentMemorySystem.class)).isSameAs(memory);
            assertThat(injector.getInstance(AgentMemoryStore.class)).isSameAs(memory.episodes());
            assertThat(injector.getInstance(Embedder.class)).isInstanceOf(LocalModel.class);
        } finally {
            memory.close();
        }
    }
}
