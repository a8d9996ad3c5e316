package dev.sextant.training.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.training.TrainingProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChampionGateTest {

    static final TrainingProperties.Gate GATE =
            new TrainingProperties.Gate("pr_auc", 0.01, Map.of("roc_auc", 0.7, "log_loss", 0.3));

    @Test
    void passesACandidateThatMeetsTheFloorsWhenThereIsNoChampion() {
        var decision = ChampionGate.decide(Map.of("roc_auc", 0.8, "pr_auc", 0.3, "log_loss", 0.2), null, GATE);
        assertThat(decision.passed()).isTrue();
        assertThat(decision.reasons()).anyMatch(reason -> reason.contains("no champion"));
    }

    @Test
    void rejectsACandidateBelowAFloorOrAboveACeiling() {
        assertThat(ChampionGate.decide(Map.of("roc_auc", 0.65, "pr_auc", 0.3, "log_loss", 0.2), null, GATE)
                        .passed())
                .isFalse();
        assertThat(ChampionGate.decide(Map.of("roc_auc", 0.8, "pr_auc", 0.3, "log_loss", 0.35), null, GATE)
                        .passed())
                .isFalse();
    }

    @Test
    void requiresTheMarginOverTheChampion() {
        Map<String, Double> champion = Map.of("roc_auc", 0.8, "pr_auc", 0.30);
        var tooClose = ChampionGate.decide(Map.of("roc_auc", 0.8, "pr_auc", 0.305, "log_loss", 0.2), champion, GATE);
        assertThat(tooClose.passed()).isFalse();
        assertThat(tooClose.reasons()).anyMatch(reason -> reason.contains("NOT met") && reason.contains("pr_auc"));
        assertThat(ChampionGate.decide(Map.of("roc_auc", 0.8, "pr_auc", 0.32, "log_loss", 0.2), champion, GATE)
                        .passed())
                .isTrue();
    }

    @Test
    void comparesLowerIsBetterMetricsTheOtherWayRound() {
        var gate = new TrainingProperties.Gate("log_loss", 0.01, Map.of());
        assertThat(ChampionGate.decide(Map.of("log_loss", 0.18), Map.of("log_loss", 0.2), gate)
                        .passed())
                .isTrue();
        assertThat(ChampionGate.decide(Map.of("log_loss", 0.2), Map.of("log_loss", 0.18), gate)
                        .passed())
                .isFalse();
    }
}
