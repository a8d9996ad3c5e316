package dev.sextant.training;

import dev.sextant.contracts.EventContracts;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The good records the orchestrator's poison tests send between the bad ones are the topics' records as their
 * contracts define them (the labels and retrain requests of the end-to-end test are checked as they are sent).
 */
class ConsumedRecordsConformTest {

    @Test
    void theGoodLabelAndTheGoodRetrainRequestConform() {
        EventContracts.assertConforms("labels.v1", String.format(Locale.ROOT, LabelArchiverPoisonIT.GOOD, "l-1"));
        EventContracts.assertConforms(
                "retrain-requests.v1", String.format(Locale.ROOT, RetrainRequestsPoisonIT.GOOD, "k-1"));
    }
}
