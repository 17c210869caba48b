package dev.agentmemory.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:postgresql://h/db?user=u&password=secret",
            "jdbc:postgresql://h/db?password=secret&user=u",
            "jdbc:postgresql://h:5432/db?user=u&PASSWORD=secret&ssl=true",
            "postgresql://u:secret@h/db",
            "jdbc:postgresql://u:secret@h:5432/db?sslmode=require",
            "https://u:secret@embeddings.example/embed",
            "jdbc:sqlserver://h;user=u;password=secret;db=x",
            "connecting with token=secret failed",
            "apiKey: secret",
            "sslpassword=secret",
            "postgresql://u:se%40cret@h/db",
    })
    void secretsInUrlsAndTextNeverShow(String text) {
        String shown = Redaction.redact(text);

        assertThat(shown).doesNotContain("secret").doesNotContain("cret").contains(Redaction.MASK);
    }

    @Test
    void redactionKeepsWhatIsNotSecret() {
        assertThat(Redaction.redact("jdbc:postgresql://h/db?user=u&password=secret"))
                .isEqualTo("jdbc:postgresql://h/db?user=u&password=****");
        assertThat(Redaction.redact("postgresql://u:secret@h/db")).isEqualTo("postgresql://u:****@h/db");
        assertThat(Redaction.redact("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
    }

    @Test
    void passwordHoldingAnAtSignIsMaskedWhole() {
        assertThat(Redaction.redact("postgresql://u:p@ss@h/db")).isEqualTo("postgresql://u:****@h/db");
    }

    @Test
    void maskSaysOnlyWhetherASecretIsSet() {
        assertThat(Redaction.mask("secret")).isEqualTo("****");
        assertThat(Redaction.mask(null)).isEqualTo("(not set)");
        assertThat(Redaction.mask("")).isEqualTo("(not set)");
    }
}
