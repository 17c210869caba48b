package dev.agentmemory.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachingEmbedderTest {

    @Test
    void theSameTextIsEmbeddedOnce() {
        LocalModel model = new LocalModel();
        CachingEmbedder cache = new CachingEmbedder(model, 100);
        float[] first = cache.embed("sprint planning with a partial team");
        float[] second = cache.embed("sprint planning with a partial team");
        assertThat(second).containsExactly(first);
        assertThat(model.texts.get()).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void aBatchEmbedsOnlyWhatIsNotCachedAndEachNewTextOnce() {
        LocalModel model = new LocalModel();
        CachingEmbedder cache = new CachingEmbedder(model, 100);
        cache.embed("a");
        List<float[]> out = cache.embedAll(List.of("a", "b", "b", "c"));
        assertThat(out).hasSize(4);
        assertThat(out.get(1)).containsExactly(out.get(2));
        assertThat(model.texts.get()).isEqualTo(1 + 2);
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void holdsAtMostItsSizeEvictingTheLeastRecentlyUsed() {
        LocalModel model = new LocalModel();
        CachingEmbedder cache = new CachingEmbedder(model, 2);
        cache.embed("one");
        cache.embed("two");
        cache.embed("one");
        cache.embed("three");
        assertThat(cache.size()).isEqualTo(2);
        int before = model.texts.get();
        cache.embed("one");
        assertThat(model.texts.get()).isEqualTo(before);
        cache.embed("two");
        assertThat(model.texts.get()).isEqualTo(before + 1);
    }

    @Test
    void aCallerChangingAReturnedVectorChangesNothingCached() {
        CachingEmbedder cache = new CachingEmbedder(new LocalModel(), 10);
        float[] v = cache.embed("velocity 2.5");
        float keep = v[0];
        v[0] = 42f;
        assertThat(cache.embed("velocity 2.5")[0]).isEqualTo(keep);
    }

    @Test
    void blankTextIsRejected() {
        CachingEmbedder cache = new CachingEmbedder(new LocalModel(), 10);
        assertThatThrownBy(() -> cache.embed("  ")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("text");
    }
}
