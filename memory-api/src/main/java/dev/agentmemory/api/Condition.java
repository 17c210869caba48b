package dev.agentmemory.api;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A condition over a context map: the language in which a {@link Strategy} says when it applies.
 *
 * <h2>The language</h2>
 * <pre>
 * condition  := or
 * or         := and ( "or" and )*
 * and        := not ( "and" not )*
 * not        := "not" not | "(" condition ")" | comparison
 * comparison := key "exists"
 *             | key ( "is" | "is not" | "==" | "=" | "!=" ) value
 *             | key ( "&lt;" | "&lt;=" | "&gt;" | "&gt;=" ) number
 *             | key ( "in" | "not in" ) "(" value ( "," value )* ")"
 * key        := word ( word )*        -- "team availability", backlog_tasks, team.size
 * value      := number | 'text' | "text" | true | false | null | word
 * </pre>
 * Keywords are case-insensitive. A key of several words is looked up as written, then with the
 * words joined by underscores ({@code team availability} finds {@code team_availability}); a dot
 * walks into nested maps ({@code team.size}). A bare word value is a string
 * ({@code is available}). Numbers compare by value whatever their type, so 14 equals 14.0; a
 * numeric string in the context compares as a number. A comparison on a missing key is false
 * (so {@code not x exists} holds when {@code x} is absent). Example:
 * {@code team availability is available and backlog_tasks >= 10}.
 */
public final class Condition {

    private final String source;
    private final Node root;

    private Condition(String source, Node root) {
        this.source = source;
        this.root = root;
    }

    /**
     * @param source the condition text
     * @return the parsed condition
     * @throws InvalidInputException with the position and the reason when the text does not parse
     */
    public static Condition parse(String source) {
        if (source == null || source.isBlank()) {
            throw new InvalidInputException("conditions", "is empty");
        }
        Parser p = new Parser(source);
        Node node = p.parseOr();
        if (!p.atEnd()) {
            throw p.error("unexpected '" + p.peek().text + "'");
        }
        return new Condition(source, node);
    }

    /**
     * @param context the situation to test, a JSON-like map
     * @return whether the condition holds in it
     */
    public boolean test(Map<String, ?> context) {
        return root.test(context);
    }

    /** @return the text this condition was parsed from */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }

    // ---- evaluation -------------------------------------------------------------------------

    private interface Node {
        boolean test(Map<String, ?> context);
    }

    private record Or(Node left, Node right) implements Node {
        public boolean test(Map<String, ?> c) {
            return left.test(c) || right.test(c);
        }
    }

    private record And(Node left, Node right) implements Node {
        public boolean test(Map<String, ?> c) {
            return left.test(c) && right.test(c);
        }
    }

    private record Not(Node inner) implements Node {
        public boolean test(Map<String, ?> c) {
            return !inner.test(c);
        }
    }

    private record Exists(List<String> key) implements Node {
        public boolean test(Map<String, ?> c) {
            return lookup(c, key) != MISSING;
        }
    }

    private enum Op { EQ, NE, LT, LE, GT, GE }

    private record Compare(List<String> key, Op op, @Nullable Object value) implements Node {
        public boolean test(Map<String, ?> c) {
            Object actual = lookup(c, key);
            if (actual == MISSING) {
                return false;
            }
            return switch (op) {
                case EQ -> valueEquals(actual, value);
                case NE -> !valueEquals(actual, value);
                default -> {
                    BigDecimal a = asNumber(actual);
                    BigDecimal b = asNumber(value);
                    if (a == null || b == null) {
                        yield false;
                    }
                    int cmp = a.compareTo(b);
                    yield switch (op) {
                        case LT -> cmp < 0;
                        case LE -> cmp <= 0;
                        case GT -> cmp > 0;
                        default -> cmp >= 0;
                    };
                }
            };
        }
    }

    private record In(List<String> key, List<@Nullable Object> values, boolean negated) implements Node {
        public boolean test(Map<String, ?> c) {
            Object actual = lookup(c, key);
            if (actual == MISSING) {
                return false;
            }
            boolean found = false;
            for (Object v : values) {
                if (valueEquals(actual, v)) {
                    found = true;
                    break;
                }
            }
            return found != negated;
        }
    }

    private static final Object MISSING = new Object();

    private static @Nullable Object lookup(Map<String, ?> context, List<String> words) {
        String spaced = String.join(" ", words);
        if (context.containsKey(spaced)) {
            return context.get(spaced);
        }
        String joined = String.join("_", words);
        if (context.containsKey(joined)) {
            return context.get(joined);
        }
        // Dotted path into nested maps: team.size, or team_info.size
        if (joined.indexOf('.') > 0) {
            Object current = context;
            for (String part : joined.split("\\.")) {
                if (!(current instanceof Map<?, ?> m) || !m.containsKey(part)) {
                    return MISSING;
                }
                current = m.get(part);
            }
            return current;
        }
        return MISSING;
    }

    private static boolean valueEquals(@Nullable Object actual, @Nullable Object expected) {
        if (actual == null || expected == null) {
            return actual == expected;
        }
        BigDecimal a = actual instanceof Number || expected instanceof Number ? asNumber(actual) : null;
        BigDecimal b = a != null ? asNumber(expected) : null;
        if (a != null && b != null) {
            return a.compareTo(b) == 0;
        }
        if (actual instanceof String s && expected instanceof String t) {
            return s.equalsIgnoreCase(t);
        }
        return Objects.equals(actual, expected) || actual.toString().equalsIgnoreCase(expected.toString());
    }

    private static @Nullable BigDecimal asNumber(@Nullable Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (n instanceof BigDecimal bd) {
                return bd;
            }
            return Double.isFinite(d) ? new BigDecimal(n.toString()) : null;
        }
        if (v instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    // ---- parsing ----------------------------------------------------------------------------

    private enum Kind { WORD, NUMBER, STRING, SYMBOL, END }

    private record Token(Kind kind, String text, int position) {
        boolean isKeyword(String k) {
            return kind == Kind.WORD && text.equalsIgnoreCase(k);
        }

        boolean isSymbol(String s) {
            return kind == Kind.SYMBOL && text.equals(s);
        }
    }

    private static final List<String> KEYWORDS = List.of("and", "or", "not", "is", "in", "exists");

    private static final class Parser {
        private final String source;
        private final List<Token> tokens;
        private int index;

        Parser(String source) {
            this.source = source;
            this.tokens = tokenize(source);
        }

        boolean atEnd() {
            return peek().kind == Kind.END;
        }

        Token peek() {
            return tokens.get(index);
        }

        Token next() {
            return tokens.get(index++);
        }

        InvalidInputException error(String reason) {
            int pos = peek().position;
            return new InvalidInputException("conditions",
                    reason + " at position " + (pos + 1) + " of \"" + source + "\"");
        }

        Node parseOr() {
            Node left = parseAnd();
            while (peek().isKeyword("or")) {
                next();
                left = new Or(left, parseAnd());
            }
            return left;
        }

        Node parseAnd() {
            Node left = parseNot();
            while (peek().isKeyword("and")) {
                next();
                left = new And(left, parseNot());
            }
            return left;
        }

        Node parseNot() {
            if (peek().isKeyword("not")) {
                next();
                return new Not(parseNot());
            }
            if (peek().isSymbol("(")) {
                next();
                Node inner = parseOr();
                expectSymbol(")");
                return inner;
            }
            return parseComparison();
        }

        Node parseComparison() {
            List<String> key = new ArrayList<>();
            while (peek().kind == Kind.WORD && !KEYWORDS.contains(peek().text.toLowerCase(Locale.ROOT))) {
                key.add(next().text);
            }
            if (key.isEmpty()) {
                throw error(atEnd() ? "expected a key, found the end" : "expected a key, found '" + peek().text + "'");
            }
            Token t = peek();
            if (t.isKeyword("exists")) {
                next();
                return new Exists(key);
            }
            if (t.isKeyword("is")) {
                next();
                if (peek().isKeyword("not")) {
                    next();
                    return new Compare(key, Op.NE, parseValue());
                }
                return new Compare(key, Op.EQ, parseValue());
            }
            if (t.isKeyword("in")) {
                next();
                return new In(key, parseList(), false);
            }
            if (t.isKeyword("not")) {
                next();
                if (!peek().isKeyword("in")) {
                    throw error("expected 'in' after 'not'");
                }
                next();
                return new In(key, parseList(), true);
            }
            if (t.kind == Kind.SYMBOL) {
                Op op = switch (t.text) {
                    case "=", "==" -> Op.EQ;
                    case "!=" -> Op.NE;
                    case "<" -> Op.LT;
                    case "<=" -> Op.LE;
                    case ">" -> Op.GT;
                    case ">=" -> Op.GE;
                    default -> throw error("expected an operator, found '" + t.text + "'");
                };
                next();
                int at = peek().position;
                Object value = parseValue();
                if (op != Op.EQ && op != Op.NE && asNumber(value) == null) {
                    index--;
                    throw new InvalidInputException("conditions", "'" + t.text + "' needs a number, found '"
                            + value + "' at position " + (at + 1) + " of \"" + source + "\"");
                }
                return new Compare(key, op, value);
            }
            throw error(atEnd() ? "expected an operator after '" + String.join(" ", key) + "', found the end"
                    : "expected an operator after '" + String.join(" ", key) + "', found '" + t.text + "'");
        }

        List<@Nullable Object> parseList() {
            expectSymbol("(");
            List<@Nullable Object> values = new ArrayList<>();
            values.add(parseValue());
            while (peek().isSymbol(",")) {
                next();
                values.add(parseValue());
            }
            expectSymbol(")");
            return values;
        }

        @Nullable Object parseValue() {
            Token t = peek();
            switch (t.kind) {
                case NUMBER -> {
                    next();
                    return new BigDecimal(t.text);
                }
                case STRING -> {
                    next();
                    return t.text;
                }
                case WORD -> {
                    next();
                    return switch (t.text.toLowerCase(Locale.ROOT)) {
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        case "null" -> null;
                        default -> t.text;
                    };
                }
                default -> throw error(atEnd() ? "expected a value, found the end" : "expected a value, found '" + t.text + "'");
            }
        }

        void expectSymbol(String s) {
            if (!peek().isSymbol(s)) {
                throw error(atEnd() ? "expected '" + s + "', found the end" : "expected '" + s + "', found '" + peek().text + "'");
            }
            next();
        }

        private static List<Token> tokenize(String s) {
            List<Token> out = new ArrayList<>();
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '\'' || c == '"') {
                    int end = s.indexOf(c, i + 1);
                    if (end < 0) {
                        throw new InvalidInputException("conditions",
                                "unterminated string starting at position " + (i + 1) + " of \"" + s + "\"");
                    }
                    out.add(new Token(Kind.STRING, s.substring(i + 1, end), i));
                    i = end + 1;
                } else if (Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < s.length()
                        && Character.isDigit(s.charAt(i + 1)) && startsValue(out))) {
                    int start = i++;
                    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.'
                            || s.charAt(i) == 'e' || s.charAt(i) == 'E'
                            || ((s.charAt(i) == '-' || s.charAt(i) == '+') && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')))) {
                        i++;
                    }
                    String text = s.substring(start, i);
                    try {
                        new BigDecimal(text);
                    } catch (NumberFormatException e) {
                        throw new InvalidInputException("conditions",
                                "'" + text + "' is not a number at position " + (start + 1) + " of \"" + s + "\"");
                    }
                    out.add(new Token(Kind.NUMBER, text, start));
                } else if (Character.isLetter(c) || c == '_') {
                    int start = i;
                    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_'
                            || s.charAt(i) == '.' || s.charAt(i) == '-')) {
                        i++;
                    }
                    out.add(new Token(Kind.WORD, s.substring(start, i), start));
                } else {
                    String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                    if (two.equals("<=") || two.equals(">=") || two.equals("==") || two.equals("!=")) {
                        out.add(new Token(Kind.SYMBOL, two, i));
                        i += 2;
                    } else if ("<>=(),".indexOf(c) >= 0) {
                        out.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
                        i++;
                    } else {
                        throw new InvalidInputException("conditions",
                                "unexpected character '" + c + "' at position " + (i + 1) + " of \"" + s + "\"");
                    }
                }
            }
            out.add(new Token(Kind.END, "", s.length()));
            return out;
        }

        // A sign starts a number only where a value may stand (after an operator, '(', ',', "is"
        // or "is not"), so that "a-b" stays a word.
        private static boolean startsValue(List<Token> before) {
            if (before.isEmpty()) {
                return false;
            }
            Token last = before.get(before.size() - 1);
            return last.kind == Kind.SYMBOL || last.isKeyword("is") || last.isKeyword("not");
        }
    }
}
