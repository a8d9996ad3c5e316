package dev.sextant.training.evaluation;

import dev.sextant.training.TrainingProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The champion/challenger gate (TFX's evaluator "blessing"): the candidate must meet every absolute floor and,
 * when there is a champion, beat it on the gate's metric by the configured margin on the same test rows.
 */
public final class ChampionGate {

    private ChampionGate() {}

    /**
     * @param passed whether the candidate may be registered
     * @param reasons why it passed or failed, one line per check, with the numbers
     */
    public record Decision(boolean passed, List<String> reasons) {}

    public static Decision decide(
            Map<String, Double> candidate, Map<String, Double> champion, TrainingProperties.Gate gate) {
        List<String> reasons = new ArrayList<>();
        boolean passed = true;
        for (var floor : gate.floors().entrySet()) {
            Double value = candidate.get(floor.getKey());
            boolean lower = BinaryMetrics.lowerIsBetter(floor.getKey());
            boolean ok = value != null && (lower ? value <= floor.getValue() : value >= floor.getValue());
            reasons.add(String.format(
                    "%s %s %s floor %s: %s",
                    floor.getKey(),
                    value == null ? "n/a" : String.format("%.4f", value),
                    lower ? "<=" : ">=",
                    floor.getValue(),
                    ok ? "met" : "NOT met"));
            passed &= ok;
        }
        String metric = gate.metric();
        Double mine = candidate.get(metric);
        if (champion == null) {
            reasons.add("no champion to compare with: the floors decide");
        } else {
            Double theirs = champion.get(metric);
            if (mine == null || theirs == null) {
                reasons.add(metric + " is not available for both models on the test rows");
                passed = false;
            } else {
                double improvement = BinaryMetrics.lowerIsBetter(metric) ? theirs - mine : mine - theirs;
                boolean ok = improvement >= gate.minImprovement();
                reasons.add(String.format(
                        "%s candidate %.4f vs champion %.4f: improvement %+.4f, required %+.4f: %s",
                        metric, mine, theirs, improvement, gate.minImprovement(), ok ? "met" : "NOT met"));
                passed &= ok;
            }
        }
        return new Decision(passed, List.copyOf(reasons));
    }
}
