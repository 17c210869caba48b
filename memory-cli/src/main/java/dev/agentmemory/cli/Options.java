package dev.agentmemory.cli;

import dev.agentmemory.api.InvalidInputException;

/** Checks of option values, failing as bad input (exit status 2) with the option's name. */
final class Options {

    private Options() {
    }

    static int range(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidInputException(option, value + " is outside " + min + " to " + max);
        }
        return value;
    }

    static double unit(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new InvalidInputException(option, value + " is outside [0,1]");
        }
        return value;
    }
}
