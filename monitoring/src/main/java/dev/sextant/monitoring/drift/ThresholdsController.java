package dev.sextant.monitoring.drift;

import dev.sextant.monitoring.MonitoringProperties;
import dev.sextant.monitoring.MonitoringProperties.Level;
import dev.sextant.monitoring.MonitoringProperties.Thresholds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;

/**
 * The drift thresholds: read by anyone who may read monitoring; changed by administrators (the gateway lets only
 * the {@code admin} role send anything but GET under {@code /api/v1/monitoring}). A change is kept in the compacted
 * settings topic before it is applied, so it survives restarts and reaches every instance.
 */
@RestController
@Tag(name = "Thresholds", description = "Warn and alert levels of the drift statistics, per feature (admin changes)")
class ThresholdsController {

    private static final Pattern FEATURE = Pattern.compile("[A-Za-z0-9_.-]{1,100}(:[A-Za-z0-9_.-]{1,100})?");
    private static final Set<String> STATISTICS = Set.of("psi", "ks", "jensen_shannon", "chi_squared");

    private final ThresholdSettings settings;
    private final ThresholdChanges changes;
    private final MonitoringProperties.Quality quality;

    ThresholdsController(ThresholdSettings settings, ThresholdChanges changes, MonitoringProperties.Quality quality) {
        this.settings = settings;
        this.changes = changes;
        this.quality = quality;
    }

    record ThresholdsView(
            Thresholds defaults,
            Map<String, Thresholds> features,
            Map<String, Thresholds> overrides,
            MonitoringProperties.Quality quality) {}

    @GetMapping("/api/v1/monitoring/thresholds")
    @Operation(
            summary = "The drift thresholds in force: the defaults, each overridden feature's effective thresholds and"
                    + " its override as set, and the data-quality thresholds")
    ThresholdsView thresholds() {
        Map<String, Thresholds> overrides = settings.overrides();
        Map<String, Thresholds> effective = new LinkedHashMap<>();
        overrides.keySet().forEach(feature -> effective.put(feature, settings.of(feature)));
        return new ThresholdsView(settings.defaults(), effective, overrides, quality);
    }

    @PutMapping("/api/v1/monitoring/thresholds/defaults")
    @Operation(
            summary = "Changes the default thresholds (admin): the statistics given replace theirs, the others stay;"
                    + " judged from the next window on")
    Thresholds putDefaults(@RequestBody JsonNode body) throws InterruptedException {
        publish(ThresholdSettings.DEFAULTS, parse(body));
        return settings.defaults();
    }

    @PutMapping("/api/v1/monitoring/thresholds/features/{feature}")
    @Operation(
            summary = "Sets a feature's (or the score's) thresholds (admin): the statistics given override the"
                    + " defaults, the others follow them; answers the effective thresholds")
    Thresholds putFeature(@PathVariable String feature, @RequestBody JsonNode body) throws InterruptedException {
        publish(ThresholdSettings.FEATURE + feature(feature), parse(body));
        return settings.of(feature);
    }

    @DeleteMapping("/api/v1/monitoring/thresholds/features/{feature}")
    @Operation(summary = "Removes a feature's override (admin): it follows the defaults again")
    ResponseEntity<Void> deleteFeature(@PathVariable String feature) throws InterruptedException {
        if (!settings.overrides().containsKey(feature(feature))) {
            throw new ResponseStatusException(
                    HttpStatus.NOT_FOUND, "feature '" + feature + "' has no thresholds of its own");
        }
        publish(ThresholdSettings.FEATURE + feature, null);
        return ResponseEntity.noContent().build();
    }

    private void publish(String key, Thresholds thresholds) throws InterruptedException {
        try {
            changes.publish(key, thresholds);
        } catch (ExecutionException | TimeoutException e) {
            throw new ResponseStatusException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "the settings topic could not be written (Kafka unavailable); nothing was changed");
        }
    }

    private static String feature(String feature) {
        if (!FEATURE.matcher(feature).matches()) {
            throw new ResponseStatusException(
                    HttpStatus.BAD_REQUEST,
                    "feature '" + feature + "' is not a feature reference (<view>:<feature>, request:<field>) or"
                            + " 'score'");
        }
        return feature;
    }

    /** A body of statistics, each {"warn": w, "alert": a}: at least one, no unknown names, levels that make sense. */
    private static Thresholds parse(JsonNode body) {
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw badRequest("the body must be a JSON object of statistics, e.g. {\"psi\": {\"warn\": 0.1, \"alert\":"
                    + " 0.25}}");
        }
        for (String name : body.propertyNames()) {
            if (!STATISTICS.contains(name)) {
                throw badRequest("unknown statistic '" + name + "': expected psi, ks, jensen_shannon or chi_squared");
            }
        }
        return new Thresholds(
                level(body, "psi", false),
                level(body, "ks", false),
                level(body, "jensen_shannon", false),
                level(body, "chi_squared", true));
    }

    private static Level level(JsonNode body, String statistic, boolean pValue) {
        JsonNode node = body.get(statistic);
        if (node == null) {
            return null;
        }
        JsonNode warn = node.path("warn");
        JsonNode alert = node.path("alert");
        if (!node.isObject() || !warn.isNumber() || !alert.isNumber() || node.size() != 2) {
            throw badRequest(statistic + " must be {\"warn\": <number>, \"alert\": <number>}");
        }
        double w = warn.doubleValue();
        double a = alert.doubleValue();
        if (!Double.isFinite(w) || !Double.isFinite(a) || w < 0 || a < 0) {
            throw badRequest(statistic + " levels must be finite and not negative");
        }
        if (pValue && (w > 1 || a > w)) {
            throw badRequest("chi_squared levels are p-values (lower is worse): 0 <= alert <= warn <= 1, got warn " + w
                    + " and alert " + a);
        }
        if (!pValue && w > a) {
            throw badRequest(statistic + " warn (" + w + ") must not be above alert (" + a + ")");
        }
        return new Level(w, a);
    }

    private static ResponseStatusException badRequest(String reason) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
    }
}
