package io.ballast.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code key=value} arguments every Ballast job main takes. */
public final class JobArguments {
    private JobArguments() {
    }

    /** The arguments as an ordered map; anything not {@code key=value} is refused. */
    public static Map<String, String> parse(String[] args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are key=value, got '" + arg + "'");
            }
            given.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return given;
    }
}
