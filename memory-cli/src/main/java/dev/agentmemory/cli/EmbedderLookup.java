package dev.agentmemory.cli;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.api.spi.EmbedderProvider;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds an embedder by its provider's name with {@link ServiceLoader}. */
final class EmbedderLookup {

    private EmbedderLookup() {
    }

    /**
     * @param name the provider's name: "onnx", "service", "ollama"
     * @param config its configuration
     * @return a new embedder; the caller closes it when it is {@link AutoCloseable}
     * @throws ConfigurationException when no provider has that name (the message lists those found)
     *     or the configuration does not fit it
     */
    static Embedder create(String name, EmbedderConfig config) {
        List<EmbedderProvider> providers = ServiceLoader.load(EmbedderProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        for (EmbedderProvider p : providers) {
            if (p.name().equalsIgnoreCase(name.trim())) {
                return p.create(config);
            }
        }
        TreeSet<String> names = new TreeSet<>();
        providers.forEach(p -> names.add(p.name()));
        throw new ConfigurationException("no embedder named '" + name + "'; found: "
                + (names.isEmpty() ? "none" : String.join(", ", names)));
    }
}
