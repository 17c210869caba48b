package dev.agentmemory.cli;

import dev.agentmemory.api.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files and standard input as commands read them; a missing or unreadable file is bad input. */
final class Inputs {

    private Inputs() {
    }

    /**
     * @param file a file name, or "-" for standard input
     * @param context where standard input comes from
     * @return a reader of UTF-8 text that refuses malformed bytes
     * @throws InvalidInputException when the file does not exist, is a directory or cannot be read
     */
    static BufferedReader open(String file, CliContext context) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        if (file.equals("-")) {
            return new BufferedReader(new InputStreamReader(context.stdin(), decoder));
        }
        Path path = checkReadable(file);
        try {
            return new BufferedReader(new InputStreamReader(Files.newInputStream(path), decoder));
        } catch (IOException e) {
            throw new InvalidInputException("file", "'" + file + "' cannot be read: " + e.getMessage());
        }
    }

    /**
     * @param file a file name
     * @return its path
     * @throws InvalidInputException when it does not exist or is a directory
     */
    static Path checkReadable(String file) {
        Path path = Path.of(file);
        if (!Files.exists(path)) {
            throw new InvalidInputException("file", "'" + file + "' does not exist");
        }
        if (Files.isDirectory(path)) {
            throw new InvalidInputException("file", "'" + file + "' is a directory");
        }
        if (!Files.isReadable(path)) {
            throw new InvalidInputException("file", "'" + file + "' cannot be read");
        }
        return path;
    }

    /** @return everything the reader holds; the reader is closed */
    static String readAll(Reader in, String source) {
        try (Reader r = in) {
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[8192];
            for (int n; (n = r.read(buffer)) >= 0; ) {
                text.append(buffer, 0, n);
            }
            return text.toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(source, "is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot be read: " + e.getMessage());
        }
    }

    /** @return the name of {@code file} in messages */
    static String name(String file) {
        return file.equals("-") ? "stdin" : file;
    }
}
