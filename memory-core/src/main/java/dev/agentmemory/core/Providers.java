package dev.agentmemory.core;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.spi.EmbedderProvider;
import dev.agentmemory.api.spi.StoreProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Finds store and embedder providers on the class path with {@link ServiceLoader}, by name. The one
 * place that does, so an unknown name always gets the same answer: the list of names found.
 */
public final class Providers {

    private Providers() {
    }

    /**
     * @param name a store name, such as "postgres" or "inmemory"
     * @return the provider
     * @throws ConfigurationException naming the providers found when none has that name
     */
    public static StoreProvider store(String name) {
        return find(StoreProvider.class, StoreProvider::name, name, "store");
    }

    /**
     * @param name an embedder name, such as "onnx", "service" or "ollama"
     * @return the provider
     * @throws ConfigurationException naming the providers found when none has that name
     */
    public static EmbedderProvider embedder(String name) {
        return find(EmbedderProvider.class, EmbedderProvider::name, name, "embedder");
    }

    /** @return the names of the store providers on the class path, sorted */
    public static List<String> storeNames() {
        return names(StoreProvider.class, StoreProvider::name);
    }

    /** @return the names of the embedder providers on the class path, sorted */
    public static List<String> embedderNames() {
        return names(EmbedderProvider.class, EmbedderProvider::name);
    }

    private static <T> T find(Class<T> type, Function<T, String> nameOf, String name, String kind) {
        for (T provider : ServiceLoader.load(type, Providers.class.getClassLoader())) {
            if (nameOf.apply(provider).equalsIgnoreCase(name.trim())) {
                return provider;
            }
        }
        List<String> found = names(type, nameOf);
        throw new ConfigurationException("unknown " + kind + " '" + name + "'; found: "
                + (found.isEmpty() ? "none (is the module on the class path?)" : String.join(", ", found)));
    }

    private static <T> List<String> names(Class<T> type, Function<T, String> nameOf) {
        TreeSet<String> names = new TreeSet<>();
        for (T provider : ServiceLoader.load(type, Providers.class.getClassLoader())) {
            names.add(nameOf.apply(provider));
        }
        return new ArrayList<>(names);
    }
}
