package dev.herald.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario run against one target: its parameters, the figures measured (by key, see {@link Figure}) and
 * notes (connection failures, a server that died, ...).
 */
public record Result(String scenario, String target, int connections, double rate, double seconds,
                     Map<String, Double> figures, List<String> notes) {

    public Result(String scenario, String target, int connections, double rate, double seconds) {
        this(scenario, target, connections, rate, seconds, new LinkedHashMap<>(), new ArrayList<>());
    }

    Result put(Figure figure, double value) {
        figures.put(figure.key, value);
        return this;
    }

    Result note(String note) {
        notes.add(note);
        return this;
    }

    public double get(Figure figure) {
        Double v = figures.get(figure.key);
        return v == null ? Double.NaN : v;
    }

    /** Scenario and parameters, without the target: runs with the same key compare side by side. */
    public String key() {
        return scenario + "|" + connections + "|" + rate + "|" + seconds;
    }
}
