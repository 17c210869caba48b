package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.MemorySettings;
import dev.agentmemory.core.Providers;
import dev.agentmemory.server.MemoryServer;
import dev.agentmemory.server.ServerSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad episodes are named in our own words, with the field and the element of an array, and the
 * server says the same words as the command line for the same input.
 */
class BadJsonWordsTest {

    private static final String GOOD = "{\"projectId\":\"p\",\"perception\":{},\"reasoning\":{},\"action\":{}}";
    private static final String TEXT_PERCEPTION = "{\"projectId\":\"p\",\"perception\":\"hi\",\"reasoning\":{},\"action\":{}}";
    private static final String NO_ACTION = "{\"projectId\":\"p\",\"perception\":{},\"reasoning\":{}}";

    @Test
    void aTextWhereAnObjectBelongsIsNamedWithoutJacksonsWords() {
        Cli cli = Cli.inMemory();
        Cli.Run r = cli.runWithInput(TEXT_PERCEPTION, "remember");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("agent-memory remember: stdin line 1: perception: expected a JSON object, found a string");
        assertThat(cli.stores().episodes().countEpisodes(null)).isZero();
    }

    @Test
    void theElementOfAnArrayThatLacksAFieldIsNamedEvenOnOneLine() {
        Cli cli = Cli.inMemory();
        Cli.Run r = cli.runWithInput("[" + GOOD + ", " + NO_ACTION + ", " + GOOD + "]", "remember");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("agent-memory remember: stdin line 1: action: is required (element 2 of 3 in the array)");
        assertThat(cli.stores().episodes().countEpisodes(null)).isZero();
    }

    @Test
    void theServerSaysTheSameWordsAsTheCommandLine() throws Exception {
        var stores = Providers.store("inmemory").open(StoreConfig.builder().dimensions(Cli.MODEL.dimensions()).build());
        try (AgentMemorySystem memory = new AgentMemorySystem(stores, Cli.MODEL, MemorySettings.ofDefaults(), List.of());
             MemoryServer server = MemoryServer.builder(memory).settings(ServerSettings.builder().port(0).build())
                     .build().start()) {
            for (String body : List.of(TEXT_PERCEPTION, "[" + GOOD + "," + NO_ACTION + "]",
                    GOOD.replace("\"action\":{}", "\"action\":{},\"timestamp\":\"yesterday\""))) {
                Http.Answer a = Http.post(server.url() + "/v1/episodes", body);
                Cli.Run r = Cli.inMemory().runWithInput(body, "remember");
                assertThat(a.status()).as(a.json().toString()).isEqualTo(400);
                assertThat(r.exit()).isEqualTo(2);
                assertThat(r.err().strip()).as(body).isEqualTo("agent-memory remember: stdin line 1: " + a.error());
            }
            assertThat(stores.episodes().countEpisodes(null)).isZero();
        }
    }
}
