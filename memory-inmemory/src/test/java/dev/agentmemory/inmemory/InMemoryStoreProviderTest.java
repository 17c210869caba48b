package dev.agentmemory.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.api.spi.StoreProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InMemoryStoreProviderTest {

    private static StoreProvider loadByName(String name) {
        return ServiceLoader.load(StoreProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name))
                .findFirst().orElseThrow();
    }

    @Test
    void serviceLoaderFindsTheProviderByItsName() {
        assertThat(loadByName("inmemory")).isInstanceOf(InMemoryStoreProvider.class);
    }

    @Test
    void openedStoresHoldAllThreeStoresForTheConfiguredDimensions() {
        try (MemoryStores stores = loadByName("inmemory").open(StoreConfig.builder().dimensions(7).build())) {
            assertThat(stores.episodes().dimensions()).isEqualTo(7);
            assertThat(stores.knowledge()).isPresent();
            assertThat(stores.workingMemory()).get()
                    .satisfies(m -> assertThat(m.createSession("acme", Map.of(), Duration.ofMinutes(1)).version()).isEqualTo(1));
            assertThat(stores.describe()).contains("inmemory").contains("7").contains("0.2").contains("5");
        }
    }

    @Test
    void knowledgeFloorAndMinimumApplicationsComeFromTheProperties() {
        StoreConfig config = StoreConfig.builder().dimensions(4)
                .property(InMemoryStoreProvider.CONFIDENCE_FLOOR, "0.7")
                .property(InMemoryStoreProvider.MIN_APPLICATIONS, "2")
                .build();
        try (MemoryStores stores = new InMemoryStoreProvider().open(config)) {
            KnowledgeStore knowledge = stores.knowledge().orElseThrow();
            UUID id = knowledge.storeStrategy(Strategy.builder("s").build(), null);

            assertThat(knowledge.recordApplication(id, UUID.randomUUID(), true).active()).isTrue();
            assertThat(knowledge.recordApplication(id, UUID.randomUUID(), true).active()).isFalse();
        }
    }

    @Test
    void badKnowledgePropertiesAreRejectedNamingTheProperty() {
        for (Map.Entry<String, String> bad : List.of(
                Map.entry(InMemoryStoreProvider.CONFIDENCE_FLOOR, "high"),
                Map.entry(InMemoryStoreProvider.CONFIDENCE_FLOOR, "1.5"),
                Map.entry(InMemoryStoreProvider.MIN_APPLICATIONS, "many"),
                Map.entry(InMemoryStoreProvider.MIN_APPLICATIONS, "0"))) {
            StoreConfig config = StoreConfig.builder().dimensions(4).property(bad.getKey(), bad.getValue()).build();

            assertThatThrownBy(() -> new InMemoryStoreProvider().open(config))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining(bad.getValue().equals("1.5") || bad.getValue().equals("0") ? bad.getValue() : bad.getKey());
        }
    }

    @Test
    void storesRejectADimensionBelowOne() {
        assertThatThrownBy(() -> new InMemoryAgentMemoryStore(0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimensions");
        assertThatThrownBy(() -> new InMemoryKnowledgeStore(0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimensions");
    }
}
