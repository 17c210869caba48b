package dev.agentmemory.spring.boot;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.MemoryListener;
import dev.agentmemory.core.MemorySettings;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * An {@link AgentMemorySystem} from the {@code agent-memory.*} properties ({@link
 * AgentMemoryProperties}), unless the application defines its own. With {@code store=postgres} it
 * works on the application's {@link DataSource} (the one {@code spring.datasource.*} configures),
 * which it never closes. An {@link Embedder} bean, when the application has one, replaces the
 * named embedder; every {@link MemoryListener} bean is told what the memory does. The memory is
 * closed with the application context.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(AgentMemoryProperties.class)
public class AgentMemoryAutoConfiguration {

    /** The store name that works on the application's DataSource. */
    static final String POSTGRES = "postgres";

    /**
     * @param properties the {@code agent-memory.*} properties
     * @param dataSource the application's DataSource, used with {@code store=postgres}
     * @param embedder an embedder the application defines, used instead of the named one
     * @param listeners listeners the application defines
     * @return the memory, closed with the context
     * @throws ConfigurationException when {@code store=postgres} and the application has no DataSource
     */
    @Bean
    @ConditionalOnMissingBean
    public AgentMemorySystem agentMemorySystem(AgentMemoryProperties properties, ObjectProvider<DataSource> dataSource,
                                               ObjectProvider<Embedder> embedder,
                                               ObjectProvider<MemoryListener> listeners) {
        AgentMemory.Builder builder = AgentMemory.builder()
                .store(properties.getStore())
                .migrate(properties.isMigrate());
        if (POSTGRES.equals(properties.getStore().trim().toLowerCase(Locale.ROOT))) {
            DataSource ds = dataSource.getIfUnique();
            if (ds == null) {
                throw new ConfigurationException(AgentMemoryProperties.PREFIX + ".store=postgres works on the "
                        + "application's DataSource, and there is no single one: set spring.datasource.url "
                        + "(with spring-boot-starter-jdbc), or define one DataSource bean or mark one @Primary");
            }
            builder.dataSource(ds);
        }
        Embedder given = embedder.getIfUnique();
        if (given != null) {
            builder.embedder(given);
        } else {
            builder.embedder(properties.getEmbedder())
                    .embedderConfig(EmbedderConfig.builder()
                            .url(properties.getEmbeddingUrl())
                            .model(properties.getEmbeddingModel())
                            .build());
        }
        if (properties.getDimensions() != null) {
            builder.dimensions(properties.getDimensions());
        }
        properties.getStoreProperties().forEach(builder::storeProperty);
        builder.settings(MemorySettings.builder()
                .minSimilarity(properties.getMinSimilarity())
                .backfillInterval(properties.getBackfillInterval())
                .build());
        listeners.orderedStream().forEach(builder::listener);
        return builder.build();
    }
}
