package dev.sextant.features.client.ondemand;

import java.util.HashMap;
import java.util.Map;

/** A test transformation: the request amount over the card's mean; null without a mean. */
public final class RatioToMean implements OnDemandTransformation {

    @Override
    public Map<String, Object> transform(Map<String, Object> inputs, Map<String, Object> request) {
        Double mean = (Double) inputs.get("card_stats:amount_mean_1h");
        Map<String, Object> features = new HashMap<>();
        features.put("ratio", mean == null ? null : (Double) request.get("amount") / mean);
        return features;
    }
}
