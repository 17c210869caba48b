package dev.agentmemory.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A table that fits the terminal: the width comes from {@code $COLUMNS}, else
 * {@value #DEFAULT_WIDTH}. When the rows are wider, the widest columns give way first and a cell
 * too long for its column ends with "…".
 */
final class Table {

    /** The width when {@code $COLUMNS} is not set. */
    static final int DEFAULT_WIDTH = 100;
    static final String ELLIPSIS = "…";
    private static final String GAP = "  ";
    // A column never shrinks below this, so that every column still says something.
    private static final int MIN_COLUMN = 4;

    private final String[] headers;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param headers the column titles; a title ending in ">" is right-aligned (numbers), the ">"
     *     not shown
     */
    Table(String... headers) {
        this.headers = new String[headers.length];
        this.rightAligned = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            rightAligned[i] = headers[i].endsWith(">");
            this.headers[i] = rightAligned[i] ? headers[i].substring(0, headers[i].length() - 1) : headers[i];
        }
    }

    /** @param cells one value per column; null shows as empty */
    Table row(@Nullable Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.length + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            // One line per row: a newline inside a value would break the table.
            row[i] = cells[i] == null ? "" : cells[i].toString().replaceAll("\\s*[\\r\\n]+\\s*", " ");
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /**
     * @param env the environment, for {@code COLUMNS}
     * @return the width to fit
     */
    static int width(Map<String, String> env) {
        String columns = env.get("COLUMNS");
        if (columns != null) {
            try {
                int w = Integer.parseInt(columns.trim());
                if (w >= 20) {
                    return w;
                }
            } catch (NumberFormatException e) {
                // not a number: the default
            }
        }
        return DEFAULT_WIDTH;
    }

    /**
     * Prints the table to fit {@code width} characters.
     *
     * @param out where to print
     * @param width the width of the terminal
     */
    void print(PrintWriter out, int width) {
        print(out, width, true);
    }

    /** Prints the rows only: for a list of names and values. */
    void printWithoutHeader(PrintWriter out, int width) {
        print(out, width, false);
    }

    private void print(PrintWriter out, int width, boolean withHeader) {
        int n = headers.length;
        int[] widths = new int[n];
        for (int i = 0; i < n; i++) {
            widths[i] = withHeader ? headers[i].length() : 0;
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        int available = width - GAP.length() * (n - 1);
        while (Arrays.stream(widths).sum() > available) {
            int widest = 0;
            for (int i = 1; i < n; i++) {
                if (widths[i] > widths[widest]) {
                    widest = i;
                }
            }
            if (widths[widest] <= MIN_COLUMN) {
                break;
            }
            widths[widest]--;
        }
        if (withHeader) {
            print(out, headers, widths);
        }
        for (String[] row : rows) {
            print(out, row, widths);
        }
        out.flush();
    }

    private void print(PrintWriter out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String cell = fit(cells[i], widths[i]);
            boolean last = i == cells.length - 1;
            String pad = " ".repeat(widths[i] - cell.length());
            if (rightAligned[i]) {
                line.append(pad).append(cell);
            } else {
                line.append(cell);
                if (!last) {
                    line.append(pad);
                }
            }
            if (!last) {
                line.append(GAP);
            }
        }
        out.println(line.toString().stripTrailing());
    }

    /** @return the cell, cut to {@code width} with "…" as its last character when longer */
    static String fit(String cell, int width) {
        if (cell.length() <= width) {
            return cell;
        }
        return cell.substring(0, Math.max(0, width - 1)) + ELLIPSIS;
    }
}
