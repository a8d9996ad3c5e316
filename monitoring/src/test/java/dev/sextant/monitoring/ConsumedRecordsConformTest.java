package dev.sextant.monitoring;

import dev.sextant.contracts.EventContracts;
import dev.sextant.testsupport.PredictionLogs;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The records monitoring's tests feed it are the topics' records as their contracts define them: every prediction
 * log and label its integration tests send comes from these fixtures, so a field the prediction service stops writing,
 * or writes otherwise, fails here rather than only in the demo. (What monitoring itself writes, drift alerts and
 * retrain requests, is checked where its tests read them.)
 */
class ConsumedRecordsConformTest {

    @Test
    void generatedPredictionLogsConformInBothRegimes() {
        PredictionLogs logs = new PredictionLogs("conform", 1);
        for (double shift : new double[] {1.0, 3.0}) {
            EventContracts.assertConforms("prediction-logs.v1", logs.log("id-" + shift, logs.row(shift)));
        }
    }

    @Test
    void aRolloutsLogsConformForEveryRoleAndForAFailedRequest() {
        for (String role : new String[] {"champion", "challenger", "shadow"}) {
            EventContracts.assertConforms(
                    "prediction-logs.v1", RolloutTraffic.log("conform", "r-" + role, 2, role, 7, "card-1", 0.25));
        }
        for (String error : new String[] {"runtime_error", "overloaded", "features_unassembled", "server_error"}) {
            EventContracts.assertConforms(
                    "prediction-logs.v1",
                    RolloutTraffic.log("conform", "e-" + error, 2, "challenger", 7, "card-1", Double.NaN, error));
        }
    }

    @Test
    void labelsConform() {
        EventContracts.assertConforms("labels.v1", RolloutTraffic.label("l-1", true));
        EventContracts.assertConforms("labels.v1", RolloutTraffic.label("l-2", false));
        EventContracts.assertConforms("labels.v1", String.format(Locale.ROOT, PoisonRecordsIT.GOOD_LABEL, "l-3"));
    }
}
