package dev.sextant.examples.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.sextant.features.client.definition.Entity;
import dev.sextant.features.client.definition.FeatureRepository;
import dev.sextant.features.client.definition.FeatureRepositoryLoader;
import dev.sextant.features.client.definition.FeatureView;
import dev.sextant.features.client.definition.OnDemandView;
import dev.sextant.features.client.ondemand.OnDemandComputation;
import org.junit.jupiter.api.Test;

/** The repository this jar ships is the one a service reads when none is configured, and it computes. */
class FraudFeaturesTest {

    private static final FeatureRepository REPOSITORY = FeatureRepositoryLoader.bundled();

    @Test
    void theClasspathRepositoryIsTheFraudDomains() {
        assertThat(REPOSITORY.entities()).extracting(Entity::name).containsExactly("card", "merchant");
        assertThat(REPOSITORY.views())
                .extracting(FeatureView::name)
                .containsExactly("card_txn_stats", "merchant_txn_stats", "card_profile", "merchant_profile");
        assertThat(FeatureRepositoryLoader.loadOrBundled(" ").views()).hasSameSizeAs(REPOSITORY.views());
        assertThat(REPOSITORY.onDemandView("txn_context").orElseThrow().transformation())
                .isInstanceOf(TransactionContext.class);
    }

    @Test
    void theTransactionContextComparesThePaymentWithTheCardsLastHourAndHome() {
        OnDemandView context = REPOSITORY.onDemandView("txn_context").orElseThrow();
        // inputs: card_txn_stats:amount_mean_1h, card_txn_stats:amount_max_1h, card_profile:home_country
        assertThat(OnDemandComputation.compute(context, new Object[] {40.0, 90.0, "FR"}, new Object[] {100.0, "US"}))
                .containsOnly(
                        entry("amount_to_mean_1h", 2.5), entry("exceeds_max_1h", true), entry("is_foreign", true));
        assertThat(OnDemandComputation.compute(context, new Object[] {40.0, 90.0, "FR"}, new Object[] {20.0, "FR"}))
                .containsOnly(
                        entry("amount_to_mean_1h", 0.5), entry("exceeds_max_1h", false), entry("is_foreign", false));
        // Without history nothing this large was seen; without a home country, foreignness is unknown.
        assertThat(OnDemandComputation.compute(context, new Object[] {null, null, null}, new Object[] {20.0, "FR"}))
                .containsOnly(
                        entry("amount_to_mean_1h", null), entry("exceeds_max_1h", true), entry("is_foreign", null));
    }
}
