package dev.sextant.examples.fraud;

import dev.sextant.features.client.ondemand.OnDemandTransformation;
import java.util.HashMap;
import java.util.Map;

/**
 * The example domain's on-demand view {@code txn_context}: the payment being scored against the card's recent
 * behaviour and home country. Ships in the domain's jar beside its definitions, so every process that reads
 * features (the feature store, the prediction service, the orchestrator through the feature store) runs the same
 * code.
 *
 * <ul>
 *   <li>{@code amount_to_mean_1h}: the amount divided by the card's mean amount over the last hour; null without
 *       history.
 *   <li>{@code exceeds_max_1h}: the amount is above every amount of the card in the last hour (true without
 *       history: nothing this large was seen).
 *   <li>{@code is_foreign}: the payment's country differs from the card's home country; null when the home
 *       country is unknown.
 * </ul>
 */
public final class TransactionContext implements OnDemandTransformation {

    @Override
    public Map<String, Object> transform(Map<String, Object> inputs, Map<String, Object> request) {
        double amount = (Double) request.get("amount");
        String country = (String) request.get("country");
        Double mean = (Double) inputs.get("card_txn_stats:amount_mean_1h");
        Double max = (Double) inputs.get("card_txn_stats:amount_max_1h");
        String home = (String) inputs.get("card_profile:home_country");
        Map<String, Object> features = new HashMap<>();
        features.put("amount_to_mean_1h", mean == null || mean == 0 ? null : amount / mean);
        features.put("exceeds_max_1h", max == null || amount > max);
        features.put("is_foreign", home == null ? null : !home.equals(country));
        return features;
    }
}
